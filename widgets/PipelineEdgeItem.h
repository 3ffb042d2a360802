#pragma once
// One edge of a pipeline: a cubic Bézier curve from an output port to an input port, in the
// colour of the data it carries. Drawn beneath the node boxes.

#include <QGraphicsPathItem>

#include "graph/PipelineGraph.h"

namespace crl::widgets {

class PipelineEdgeItem : public QGraphicsPathItem {
public:
    enum { Type = UserType + 2 };

    /// A curve leaving `start` rightwards and entering `end` from the left.
    PipelineEdgeItem(const graph::Edge& edge, QPointF start, QPointF end, const QColor& colour);

    int type() const override { return Type; }
    const graph::Edge& edge() const { return m_edge; }

private:
    graph::Edge m_edge;
};

}  // namespace crl::widgets
