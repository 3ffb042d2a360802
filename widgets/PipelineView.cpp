#include "widgets/PipelineView.h"

#include <QGraphicsScene>
#include <QLoggingCategory>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <vector>

#include "graph/NodeCatalogue.h"
#include "widgets/PipelineEdgeItem.h"
#include "widgets/PipelineNodeItem.h"

Q_LOGGING_CATEGORY(lcPipeline, "crl.widgets.pipeline")

namespace crl::widgets {

namespace {

constexpr double kMinZoom = 0.1;
constexpr double kMaxZoom = 4.0;
constexpr double kMaxFitZoom = 1.5;
constexpr double kGridStep = 20.0;

/// The port names edges attach to, per node: nodes of unknown types draw these as their ports.
struct UsedPorts {
    std::map<std::string, std::vector<std::string>> inputs;
    std::map<std::string, std::vector<std::string>> outputs;

    static const std::vector<std::string>& of(
        const std::map<std::string, std::vector<std::string>>& ports, const std::string& node) {
        static const std::vector<std::string> none;
        const auto it = ports.find(node);
        return it == ports.end() ? none : it->second;
    }
};

UsedPorts usedPorts(const graph::PipelineGraph& graph) {
    UsedPorts used;
    auto add = [](std::vector<std::string>& names, const std::string& name) {
        if (std::find(names.begin(), names.end(), name) == names.end())
            names.push_back(name);
    };
    for (const auto& edge : graph.edges) {
        add(used.outputs[edge.from.node], edge.from.port);
        add(used.inputs[edge.to.node], edge.to.port);
    }
    return used;
}

}  // namespace

PipelineView::PipelineView(QWidget* parent)
    : QGraphicsView(parent), m_scene(new QGraphicsScene(this)) {
    setScene(m_scene);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
}

void PipelineView::setGraph(const graph::PipelineGraph& graph) {
    m_scene->clear();
    m_nodes.clear();
    m_graph = graph;

    const auto& catalogue = graph::NodeCatalogue::instance();
    const UsedPorts used = usedPorts(graph);
    for (const auto& node : graph.nodes) {
        const graph::NodeType* type = catalogue.find(node.type);
        if (type == nullptr)
            qCWarning(lcPipeline) << "node" << node.id.c_str() << "has unknown type"
                                  << node.type.c_str();
        auto* item = new PipelineNodeItem(node, type, used.of(used.inputs, node.id),
                                          used.of(used.outputs, node.id));
        m_scene->addItem(item);
        m_nodes[node.id] = item;
    }

    // Every port an edge names exists on its node (see usedPorts), so only a missing node
    // leaves an edge without an end.
    for (const auto& edge : graph.edges) {
        const auto from = m_nodes.find(edge.from.node);
        const auto to = m_nodes.find(edge.to.node);
        if (from == m_nodes.end() || to == m_nodes.end()) {
            qCWarning(lcPipeline) << "edge" << edge.from.node.c_str() << "->"
                                  << edge.to.node.c_str() << "names a node that does not exist";
            continue;
        }
        m_scene->addItem(new PipelineEdgeItem(edge, *from->second->outputPosition(edge.from.port),
                                              *to->second->inputPosition(edge.to.port),
                                              from->second->outputColour(edge.from.port)));
    }

    // Room around the pipeline so the canvas can be dragged past its edges.
    const QRectF bounds = m_scene->itemsBoundingRect();
    m_scene->setSceneRect(bounds.adjusted(-400.0, -300.0, 400.0, 300.0));
    qCDebug(lcPipeline) << "drawing" << graph.nodes.size() << "nodes and" << graph.edges.size()
                        << "edges";

    m_fitPending = true;
    if (isVisible())
        fitToView();
}

const PipelineNodeItem* PipelineView::nodeItem(const std::string& id) const {
    const auto it = m_nodes.find(id);
    return it == m_nodes.end() ? nullptr : it->second;
}

double PipelineView::zoom() const {
    return transform().m11();
}

void PipelineView::fitToView() {
    m_fitPending = false;
    if (m_nodes.empty()) {
        resetTransform();
        return;
    }

    fitInView(m_scene->itemsBoundingRect().adjusted(-30.0, -30.0, 30.0, 30.0), Qt::KeepAspectRatio);
    // A two-node pipeline would otherwise be blown up to fill the screen.
    if (zoom() > kMaxFitZoom)
        zoomBy(kMaxFitZoom / zoom());
    else if (zoom() < kMinZoom)
        zoomBy(kMinZoom / zoom());
}

void PipelineView::zoomBy(double factor) {
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    const double applied = target / zoom();
    scale(applied, applied);
}

void PipelineView::wheelEvent(QWheelEvent* event) {
    if (!(event->modifiers() & Qt::ControlModifier)) {
        QGraphicsView::wheelEvent(event);
        return;
    }

    // One notch (120 eighths of a degree) zooms by 15 %; touchpads send smaller steps.
    zoomBy(std::pow(1.15, event->angleDelta().y() / 120.0));
    event->accept();
}

void PipelineView::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    if (m_fitPending)
        fitToView();
}

void PipelineView::drawBackground(QPainter* painter, const QRectF& rect) {
    painter->fillRect(rect, QColor(0xf0, 0xf1, 0xf3));
    if (zoom() < 0.4)
        return;

    // A light dot grid gives a sense of scale and position while dragging.
    painter->setPen(QPen(QColor(0xc8, 0xcc, 0xd2), 1.5 / zoom()));
    const double left = std::floor(rect.left() / kGridStep) * kGridStep;
    const double top = std::floor(rect.top() / kGridStep) * kGridStep;
    std::vector<QPointF> dots;
    for (double x = left; x < rect.right(); x += kGridStep)
        for (double y = top; y < rect.bottom(); y += kGridStep)
            dots.emplace_back(x, y);
    painter->drawPoints(dots.data(), static_cast<int>(dots.size()));
}

}  // namespace crl::widgets
