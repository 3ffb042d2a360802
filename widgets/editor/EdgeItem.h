#pragma once
// One link of the pipeline on the editor's canvas: a cubic Bézier curve from an output port to
// an input port in the colour of the data it carries, drawn beneath the nodes. Selectable (a
// click near the curve), so Delete can remove it.

#include <QGraphicsPathItem>

#include "graph/PipelineGraph.h"

namespace crl::widgets {

class EdgeItem : public QGraphicsPathItem {
public:
    enum { Type = UserType + 2 };

    EdgeItem(const graph::Edge& edge, const QColor& colour);

    /// The curve leaving `start` rightwards and entering `end` from the left; also used for
    /// the live curve while a link is being dragged.
    static QPainterPath curve(QPointF start, QPointF end);

    /// Re-routes the curve between new port positions.
    void setEnds(QPointF start, QPointF end);

    int type() const override { return Type; }
    const graph::Edge& edge() const { return m_edge; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    graph::Edge m_edge;
};

}  // namespace crl::widgets
