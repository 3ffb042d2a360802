#include "widgets/editor/GraphClipboard.h"

#include <QMimeData>

#include "common/Error.h"
#include "io/ProjectFile.h"
#include "widgets/editor/EditorLog.h"

namespace crl::widgets {

QMimeData* fragmentToMimeData(const graph::PipelineGraph& fragment) {
    io::Project project;
    project.name = "pipeline fragment";
    project.graph = fragment;
    const QByteArray json = QByteArray::fromStdString(io::serializeProject(project));

    auto* mime = new QMimeData;
    mime->setData(kFragmentMimeType, json);
    mime->setText(QString::fromUtf8(json));
    return mime;
}

std::optional<graph::PipelineGraph> fragmentFromMimeData(const QMimeData* mime) {
    if (mime == nullptr)
        return std::nullopt;
    QByteArray json;
    if (mime->hasFormat(kFragmentMimeType))
        json = mime->data(kFragmentMimeType);
    else if (mime->hasText())
        json = mime->text().toUtf8();
    else
        return std::nullopt;

    try {
        return io::parseProject(json.toStdString(), "the clipboard").graph;
    } catch (const UserError& error) {
        // Text that is not a project is simply not pasteable; say why in the log only.
        qCDebug(lcEditor) << "clipboard holds no pipeline:" << error.what();
        return std::nullopt;
    }
}

}  // namespace crl::widgets
