#include "widgets/PipelineEdgeItem.h"

#include <QPainterPath>
#include <QPen>

#include <algorithm>
#include <cmath>

namespace crl::widgets {

PipelineEdgeItem::PipelineEdgeItem(const graph::Edge& edge, QPointF start, QPointF end,
                                   const QColor& colour)
    : m_edge(edge) {
    // Horizontal tangents at both ports; the reach grows with the distance so that edges
    // running backwards (right to left) still loop out of and into their ports visibly.
    const double reach = std::max(60.0, std::abs(end.x() - start.x()) * 0.5);
    QPainterPath path(start);
    path.cubicTo(start + QPointF(reach, 0.0), end - QPointF(reach, 0.0), end);
    setPath(path);

    setPen(QPen(colour, 2.0, Qt::SolidLine, Qt::RoundCap));
    setZValue(-1.0);
    setToolTip(QString::fromStdString(edge.from.node + "." + edge.from.port + " → " + edge.to.node +
                                      "." + edge.to.port));
}

}  // namespace crl::widgets
