#pragma once
// A read-only drawing of a pipeline graph (survey Fig. 3 as the user instantiated it): one box
// per node at its saved position, edges as curves between typed ports. Ctrl+wheel zooms, the
// mouse drags the canvas. Editing (moving, connecting, undo) belongs to the node editor.

#include <QGraphicsView>

#include <map>
#include <string>

#include "graph/PipelineGraph.h"

class QGraphicsScene;

namespace crl::widgets {

class PipelineNodeItem;

class PipelineView : public QGraphicsView {
    Q_OBJECT

public:
    explicit PipelineView(QWidget* parent = nullptr);

    /// Replaces the drawing with `graph`. Node types missing from the catalogue are drawn red;
    /// edges whose node does not exist are skipped with a warning.
    void setGraph(const graph::PipelineGraph& graph);
    const graph::PipelineGraph& graph() const { return m_graph; }

    /// The box drawn for node `id`, or nullptr.
    const PipelineNodeItem* nodeItem(const std::string& id) const;

    /// Current zoom factor (1 = one scene unit per pixel).
    double zoom() const;

public slots:
    /// Scales and centres so that the whole pipeline is visible, never beyond 150 %.
    void fitToView();
    /// Multiplies the zoom by `factor`, clamped to 10 %–400 %.
    void zoomBy(double factor);
    void zoomIn() { zoomBy(1.25); }
    void zoomOut() { zoomBy(0.8); }

protected:
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void drawBackground(QPainter* painter, const QRectF& rect) override;

private:
    QGraphicsScene* m_scene;
    graph::PipelineGraph m_graph;
    std::map<std::string, PipelineNodeItem*> m_nodes;
    /// Fit once the view has its real size; a graph set before show() would fit a 100x30 box.
    bool m_fitPending = false;
};

}  // namespace crl::widgets
