#include "widgets/editor/NodePalette.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QMimeData>
#include <QPainter>
#include <QPixmap>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <array>

#include "graph/NodeCatalogue.h"
#include "widgets/PipelineColours.h"
#include "widgets/editor/GraphClipboard.h"

namespace crl::widgets {

namespace {

constexpr int kTypeIdRole = Qt::UserRole + 1;
constexpr int kSearchTextRole = Qt::UserRole + 2;

/// The palette's groups in the order a pipeline flows.
constexpr std::array kFamilies = {
    graph::Family::Data, graph::Family::Similarity, graph::Family::Encoder, graph::Family::Head,
    graph::Family::Loss, graph::Family::Optimiser,  graph::Family::Monitor};

QIcon familyIcon(graph::Family family) {
    QPixmap pixmap(14, 14);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(familyColour(family));
    painter.drawRoundedRect(QRectF(1, 1, 12, 12), 3, 3);
    return QIcon(pixmap);
}

/// A tree whose type rows drag out as kNodeTypeMimeType.
class PaletteTree : public QTreeWidget {
public:
    using QTreeWidget::QTreeWidget;

protected:
    QStringList mimeTypes() const override { return {kNodeTypeMimeType}; }

    QMimeData* mimeData(const QList<QTreeWidgetItem*>& items) const override {
        if (items.isEmpty() || items.first()->data(0, kTypeIdRole).isNull())
            return nullptr;
        auto* mime = new QMimeData;
        mime->setData(kNodeTypeMimeType, items.first()->data(0, kTypeIdRole).toString().toUtf8());
        return mime;
    }
};

}  // namespace

NodePalette::NodePalette(QWidget* parent)
    : QWidget(parent), m_search(new QLineEdit), m_tree(new PaletteTree) {
    m_search->setPlaceholderText(tr("Search node types…"));
    m_search->setClearButtonEnabled(true);
    m_tree->setHeaderHidden(true);
    m_tree->setRootIsDecorated(true);
    m_tree->setDragEnabled(true);
    m_tree->setDragDropMode(QAbstractItemView::DragOnly);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_search);
    layout->addWidget(m_tree);

    const auto& types = graph::NodeCatalogue::instance().types();
    for (graph::Family family : kFamilies) {
        auto* group = new QTreeWidgetItem(
            m_tree, {QString::fromUtf8(toString(family).data(), toString(family).size())});
        group->setIcon(0, familyIcon(family));
        group->setFlags(Qt::ItemIsEnabled);
        QFont bold = group->font(0);
        bold.setBold(true);
        group->setFont(0, bold);

        for (const graph::NodeType& type : types) {
            if (type.family != family)
                continue;
            const QString id = QString::fromStdString(type.id);
            const QString help = QString::fromStdString(type.help);
            auto* item = new QTreeWidgetItem(group, {QString::fromStdString(type.title)});
            item->setData(0, kTypeIdRole, id);
            item->setData(0, kSearchTextRole, (item->text(0) + ' ' + id + ' ' + help).toLower());
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
            QString tip = QStringLiteral("<b>%1</b> <code>%2</code><br>%3")
                              .arg(item->text(0).toHtmlEscaped(), id, help.toHtmlEscaped());
            if (!type.surveySection.empty())
                tip += tr("<br><i>Survey %1</i>").arg(QString::fromStdString(type.surveySection));
            item->setToolTip(0, tip);
        }
        // A family the catalogue has no types for yet stays out of the way.
        group->setHidden(group->childCount() == 0);
    }
    m_tree->expandAll();

    connect(m_search, &QLineEdit::textChanged, this, &NodePalette::setFilter);
    connect(m_tree, &QTreeWidget::itemActivated, this,
            [this](QTreeWidgetItem* item) { activate(item); });
}

void NodePalette::setFilter(const QString& text) {
    const QString needle = text.trimmed().toLower();
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = m_tree->topLevelItem(g);
        int shown = 0;
        for (int i = 0; i < group->childCount(); ++i) {
            QTreeWidgetItem* item = group->child(i);
            const bool match = item->data(0, kSearchTextRole).toString().contains(needle);
            item->setHidden(!match);
            shown += match ? 1 : 0;
        }
        group->setHidden(shown == 0);
    }
    if (m_search->text() != text)
        m_search->setText(text);
}

QStringList NodePalette::visibleTypeIds() const {
    QStringList ids;
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        const QTreeWidgetItem* group = m_tree->topLevelItem(g);
        if (group->isHidden())
            continue;
        for (int i = 0; i < group->childCount(); ++i)
            if (!group->child(i)->isHidden())
                ids << group->child(i)->data(0, kTypeIdRole).toString();
    }
    return ids;
}

void NodePalette::activate(QTreeWidgetItem* item) {
    const QVariant type = item == nullptr ? QVariant() : item->data(0, kTypeIdRole);
    if (!type.isNull())
        emit typeActivated(type.toString());
}

}  // namespace crl::widgets
