#include "widgets/editor/EditorScene.h"

#include <QApplication>
#include <QClipboard>
#include <QGraphicsPathItem>
#include <QGraphicsSceneMouseEvent>
#include <QPen>
#include <QToolTip>

#include <algorithm>
#include <cassert>

#include "graph/NodeCatalogue.h"
#include "widgets/PipelineColours.h"
#include "widgets/editor/EdgeItem.h"
#include "widgets/editor/EditorLog.h"
#include "widgets/editor/GraphClipboard.h"
#include "widgets/editor/GraphDocument.h"
#include "widgets/editor/NodeItem.h"

namespace crl::widgets {

namespace {

/// Port names the links of `graph` attach to on node `id`, inputs or outputs.
std::vector<std::string> usedPorts(const graph::PipelineGraph& graph, const std::string& id,
                                   bool inputs) {
    std::vector<std::string> names;
    for (const graph::Edge& edge : graph.edges) {
        const graph::PortRef& end = inputs ? edge.to : edge.from;
        if (end.node == id && std::find(names.begin(), names.end(), end.port) == names.end())
            names.push_back(end.port);
    }
    return names;
}

}  // namespace

EditorScene::EditorScene(GraphDocument* document, QObject* parent)
    : QGraphicsScene(parent), m_document(document) {
    assert(document != nullptr);
    for (const graph::Node& node : document->graph().nodes)
        addNodeItem(node.id);
    for (const graph::Edge& edge : document->graph().edges)
        addEdgeItem(edge);
    applyProblems();

    connect(document, &GraphDocument::nodeAdded, this, &EditorScene::addNodeItem);
    connect(document, &GraphDocument::nodeRemoved, this, &EditorScene::removeNodeItem);
    connect(document, &GraphDocument::nodeChanged, this, &EditorScene::refreshNodeItem);
    connect(document, &GraphDocument::edgeAdded, this, &EditorScene::addEdgeItem);
    connect(document, &GraphDocument::edgeRemoved, this, &EditorScene::removeEdgeItem);
    connect(document, &GraphDocument::problemsChanged, this, &EditorScene::applyProblems);
}

NodeItem* EditorScene::nodeItem(const std::string& id) const {
    const auto it = m_nodes.find(id);
    return it == m_nodes.end() ? nullptr : it->second;
}

EdgeItem* EditorScene::edgeItem(const graph::Edge& edge) const {
    const auto it = std::find_if(m_edges.begin(), m_edges.end(),
                                 [&](const EdgeItem* item) { return item->edge() == edge; });
    return it == m_edges.end() ? nullptr : *it;
}

std::vector<std::string> EditorScene::selectedNodeIds() const {
    std::vector<std::string> ids;
    for (const graph::Node& node : m_document->graph().nodes)
        if (const NodeItem* item = nodeItem(node.id); item != nullptr && item->isSelected())
            ids.push_back(node.id);
    return ids;
}

std::vector<graph::Edge> EditorScene::selectedEdges() const {
    std::vector<graph::Edge> edges;
    for (const EdgeItem* item : m_edges)
        if (item->isSelected())
            edges.push_back(item->edge());
    return edges;
}

void EditorScene::selectNodes(const std::vector<std::string>& ids) {
    clearSelection();
    for (const std::string& id : ids)
        if (NodeItem* item = nodeItem(id))
            item->setSelected(true);
}

std::map<std::string, QSizeF> EditorScene::nodeSizes() const {
    std::map<std::string, QSizeF> sizes;
    for (const auto& [id, item] : m_nodes)
        sizes[id] = item->size();
    return sizes;
}

void EditorScene::nodeItemMoved(const NodeItem& item) {
    for (EdgeItem* edge : m_edges)
        if (edge->edge().from.node == item.nodeId() || edge->edge().to.node == item.nodeId())
            routeEdge(*edge);
}

// ---- edit actions ---------------------------------------------------------------------------

void EditorScene::selectAll() {
    for (QGraphicsItem* item : items())
        if (item->flags() & QGraphicsItem::ItemIsSelectable)
            item->setSelected(true);
}

void EditorScene::deleteSelection() {
    const std::vector<std::string> nodes = selectedNodeIds();
    const std::vector<graph::Edge> edges = selectedEdges();
    if (!nodes.empty() || !edges.empty())
        m_document->remove(nodes, edges);
}

void EditorScene::copySelection() {
    const std::vector<std::string> nodes = selectedNodeIds();
    if (nodes.empty())
        return;
    QApplication::clipboard()->setMimeData(fragmentToMimeData(m_document->fragment(nodes)));
    emit message(tr("Copied %n node(s)", nullptr, static_cast<int>(nodes.size())));
}

void EditorScene::cutSelection() {
    copySelection();
    deleteSelection();
}

void EditorScene::pasteClipboard() {
    const auto fragment = fragmentFromMimeData(QApplication::clipboard()->mimeData());
    if (!fragment || fragment->nodes.empty()) {
        emit message(tr("The clipboard holds no pipeline nodes to paste"));
        return;
    }
    selectNodes(m_document->paste(*fragment, GraphDocument::kDuplicateOffset));
}

void EditorScene::duplicateSelection() {
    selectNodes(m_document->duplicate(selectedNodeIds()));
}

void EditorScene::autoLayout() {
    m_document->autoLayout(nodeSizes());
}

// ---- following the document -----------------------------------------------------------------

void EditorScene::addNodeItem(const std::string& id) {
    const graph::Node* node = m_document->graph().findNode(id);
    assert(node != nullptr);
    const graph::PipelineGraph& graph = m_document->graph();
    auto* item = new NodeItem(*node, usedPorts(graph, id, true), usedPorts(graph, id, false));
    addItem(item);
    m_nodes[id] = item;
}

void EditorScene::removeNodeItem(const std::string& id) {
    const auto it = m_nodes.find(id);
    if (it == m_nodes.end())
        return;
    // The document removes links first; a hand-written file may still leave one dangling.
    for (EdgeItem* edge : std::vector<EdgeItem*>(m_edges))
        if (edge->edge().from.node == id || edge->edge().to.node == id)
            removeEdgeItem(edge->edge());
    delete it->second;
    m_nodes.erase(it);
}

void EditorScene::refreshNodeItem(const std::string& id) {
    NodeItem* item = nodeItem(id);
    const graph::Node* node = m_document->graph().findNode(id);
    if (item == nullptr || node == nullptr)
        return;
    const graph::PipelineGraph& graph = m_document->graph();
    item->setNode(*node, usedPorts(graph, id, true), usedPorts(graph, id, false));
    // Moving the item re-routes its links through nodeItemMoved(); a no-op when a drag
    // already put it there.
    item->setPos(node->x, node->y);
    nodeItemMoved(*item);
}

void EditorScene::addEdgeItem(const graph::Edge& edge) {
    NodeItem* from = nodeItem(edge.from.node);
    NodeItem* to = nodeItem(edge.to.node);
    if (from == nullptr || to == nullptr) {
        qCWarning(lcEditor) << "link" << edge.from.node.c_str() << "->" << edge.to.node.c_str()
                            << "names a node that does not exist; not drawn";
        return;
    }
    // A port the type lacks gets drawn once a link uses it.
    refreshNodeItem(edge.from.node);
    refreshNodeItem(edge.to.node);

    auto* item = new EdgeItem(edge, from->outputColour(edge.from.port));
    addItem(item);
    m_edges.push_back(item);
    routeEdge(*item);
}

void EditorScene::removeEdgeItem(const graph::Edge& edge) {
    const auto it = std::find_if(m_edges.rbegin(), m_edges.rend(),
                                 [&](const EdgeItem* item) { return item->edge() == edge; });
    if (it == m_edges.rend())
        return;
    delete *it;
    m_edges.erase(std::next(it).base());
}

void EditorScene::routeEdge(EdgeItem& item) const {
    const NodeItem* from = nodeItem(item.edge().from.node);
    const NodeItem* to = nodeItem(item.edge().to.node);
    if (from == nullptr || to == nullptr)
        return;
    const auto start = from->outputPosition(item.edge().from.port);
    const auto end = to->inputPosition(item.edge().to.port);
    if (start && end)
        item.setEnds(*start, *end);
}

void EditorScene::applyProblems() {
    const auto& problems = m_document->nodeProblems();
    for (const auto& [id, item] : m_nodes) {
        const auto it = problems.find(id);
        item->setProblems(it == problems.end() ? QStringList() : it->second);
    }
}

// ---- mouse ----------------------------------------------------------------------------------

std::optional<EditorScene::PortUnder> EditorScene::portUnder(QPointF scenePos) const {
    // Ports stick out of their boxes, so look a little around the point.
    const QRectF around(scenePos - QPointF(10.0, 10.0), QSizeF(20.0, 20.0));
    for (QGraphicsItem* item : items(around)) {
        if (item->type() != NodeItem::Type)
            continue;
        auto* node = static_cast<NodeItem*>(item);
        if (const auto hit = node->portAt(scenePos))
            return PortUnder{node, hit->name, hit->input};
    }
    return std::nullopt;
}

QString EditorScene::linkPortsAt(QPointF fromScene, QPointF toScene) {
    const auto start = portUnder(fromScene);
    const auto end = portUnder(toScene);
    if (!start || !end)
        return tr("drop the link on a port");
    if (start->input == end->input)
        return start->input ? tr("connect an input to an output, not to another input")
                            : tr("connect an output to an input, not to another output");

    const PortUnder& out = start->input ? *end : *start;
    const PortUnder& in = start->input ? *start : *end;
    return m_document->connectPorts({out.item->nodeId(), out.port}, {in.item->nodeId(), in.port});
}

void EditorScene::mousePressEvent(QGraphicsSceneMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        if (const auto port = portUnder(event->scenePos())) {
            // A drag from a port draws a link instead of moving the node.
            m_linkStart = port;
            const QColor colour =
                port->input ? QColor(Qt::darkGray) : port->item->outputColour(port->port);
            m_linkCurve = new QGraphicsPathItem;
            m_linkCurve->setPen(QPen(colour, 2.0, Qt::DashLine, Qt::RoundCap));
            m_linkCurve->setZValue(2.0);
            addItem(m_linkCurve);
            event->accept();
            return;
        }
    }
    QGraphicsScene::mousePressEvent(event);
}

void EditorScene::mouseMoveEvent(QGraphicsSceneMouseEvent* event) {
    if (m_linkStart) {
        const NodeItem& node = *m_linkStart->item;
        const QPointF port = m_linkStart->input ? *node.inputPosition(m_linkStart->port)
                                                : *node.outputPosition(m_linkStart->port);
        const QPointF cursor = event->scenePos();
        m_linkCurve->setPath(m_linkStart->input ? EdgeItem::curve(cursor, port)
                                                : EdgeItem::curve(port, cursor));
        event->accept();
        return;
    }
    QGraphicsScene::mouseMoveEvent(event);
}

void EditorScene::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
    if (m_linkStart && event->button() == Qt::LeftButton) {
        finishLinkDrag(event->scenePos(), event->screenPos());
        event->accept();
        return;
    }
    QGraphicsScene::mouseReleaseEvent(event);
    if (event->button() == Qt::LeftButton)
        commitMoves();
}

void EditorScene::finishLinkDrag(QPointF scenePos, QPoint screenPos) {
    const PortUnder start = *m_linkStart;
    m_linkStart.reset();
    delete m_linkCurve;
    m_linkCurve = nullptr;

    // Released over empty canvas: the drag is simply abandoned.
    if (!portUnder(scenePos))
        return;
    const QPointF startPos = start.input ? *start.item->inputPosition(start.port)
                                         : *start.item->outputPosition(start.port);
    const QString reason = linkPortsAt(startPos, scenePos);
    if (!reason.isEmpty()) {
        QToolTip::showText(screenPos, tr("Cannot link: %1").arg(reason));
        emit message(tr("Cannot link: %1").arg(reason));
    }
}

void EditorScene::commitMoves() {
    std::map<std::string, QPointF> moved;
    for (const auto& [id, item] : m_nodes) {
        const graph::Node* node = m_document->graph().findNode(id);
        if (node != nullptr && item->pos() != QPointF(node->x, node->y))
            moved[id] = item->pos();
    }
    if (!moved.empty())
        m_document->moveNodes(moved);
}

}  // namespace crl::widgets
