#pragma once
// Copy and paste of pipeline fragments. A fragment (some nodes and the links among them) travels
// as the project-file JSON (io::serializeProject), under its own MIME type and as plain text,
// so a copied fragment can be read, mailed, and pasted into another workbench window.

#include <QString>

#include <optional>

#include "graph/PipelineGraph.h"

class QMimeData;

namespace crl::widgets {

/// MIME type of a copied fragment.
inline const QString kFragmentMimeType = QStringLiteral("application/x-crl-pipeline-fragment+json");
/// MIME type of a node type dragged from the palette; the payload is the type id in UTF-8.
inline const QString kNodeTypeMimeType = QStringLiteral("application/x-crl-node-type");

/// New mime data holding `fragment`; the caller (usually QClipboard) takes ownership.
QMimeData* fragmentToMimeData(const graph::PipelineGraph& fragment);

/// The fragment in `mime`, read from the fragment type or, failing that, from text that is a
/// project file; nullopt when neither holds one.
std::optional<graph::PipelineGraph> fragmentFromMimeData(const QMimeData* mime);

}  // namespace crl::widgets
