#include "widgets/editor/EdgeItem.h"

#include <QPainter>
#include <QPainterPathStroker>
#include <QPen>

#include <algorithm>
#include <cmath>

namespace crl::widgets {

namespace {

constexpr double kPickWidth = 12.0;
const QColor kSelectionColour(0x1e, 0x88, 0xe5);

}  // namespace

EdgeItem::EdgeItem(const graph::Edge& edge, const QColor& colour) : m_edge(edge) {
    setFlag(ItemIsSelectable);
    setPen(QPen(colour, 2.0, Qt::SolidLine, Qt::RoundCap));
    setZValue(-1.0);
    setToolTip(QString::fromStdString(edge.from.node + "." + edge.from.port + " → " + edge.to.node +
                                      "." + edge.to.port));
}

QPainterPath EdgeItem::curve(QPointF start, QPointF end) {
    // Horizontal tangents at both ports; the reach grows with the distance so that links
    // running backwards (right to left) still loop out of and into their ports visibly.
    const double reach = std::max(60.0, std::abs(end.x() - start.x()) * 0.5);
    QPainterPath path(start);
    path.cubicTo(start + QPointF(reach, 0.0), end - QPointF(reach, 0.0), end);
    return path;
}

void EdgeItem::setEnds(QPointF start, QPointF end) {
    setPath(curve(start, end));
}

QRectF EdgeItem::boundingRect() const {
    // Room for the selection halo, which is wider than the pen.
    return shape().boundingRect();
}

QPainterPath EdgeItem::shape() const {
    // The 2-px curve itself would be nearly impossible to click.
    QPainterPathStroker stroker;
    stroker.setWidth(kPickWidth);
    return stroker.createStroke(path());
}

void EdgeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    painter->setRenderHint(QPainter::Antialiasing);
    if (isSelected()) {
        painter->setPen(QPen(kSelectionColour, 6.0, Qt::SolidLine, Qt::RoundCap));
        painter->drawPath(path());
    }
    painter->setPen(pen());
    painter->drawPath(path());
}

}  // namespace crl::widgets
