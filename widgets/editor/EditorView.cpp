#include "widgets/editor/EditorView.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QKeyEvent>
#include <QMimeData>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <vector>

#include "widgets/editor/EditorScene.h"
#include "widgets/editor/GraphClipboard.h"
#include "widgets/editor/GraphDocument.h"
#include "widgets/editor/NodeItem.h"

namespace crl::widgets {

namespace {

constexpr double kMinZoom = 0.1;
constexpr double kMaxZoom = 4.0;
constexpr double kMaxFitZoom = 1.5;
constexpr double kGridStep = 20.0;
/// Room around the pipeline so the canvas can be dragged past its edges.
constexpr double kCanvasMargin = 2000.0;

}  // namespace

EditorView::EditorView(QWidget* parent) : QGraphicsView(parent) {
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setAcceptDrops(true);
    setFocusPolicy(Qt::StrongFocus);
}

void EditorView::setEditorScene(EditorScene* scene) {
    setScene(scene);
    if (scene != nullptr) {
        // Grows with the items; the margin leaves room to pan and to drop beside the pipeline.
        const QRectF bounds = scene->itemsBoundingRect();
        scene->setSceneRect(
            bounds.adjusted(-kCanvasMargin, -kCanvasMargin, kCanvasMargin, kCanvasMargin));
        connect(scene, &QGraphicsScene::changed, this, [scene] {
            const QRectF needed =
                scene->itemsBoundingRect().adjusted(-kCanvasMargin / 2.0, -kCanvasMargin / 2.0,
                                                    kCanvasMargin / 2.0, kCanvasMargin / 2.0);
            if (!scene->sceneRect().contains(needed))
                scene->setSceneRect(scene->sceneRect().united(needed));
        });
    }
    m_fitPending = true;
    if (isVisible())
        fitToView();
}

EditorScene* EditorView::editorScene() const {
    return static_cast<EditorScene*>(scene());
}

double EditorView::zoom() const {
    return transform().m11();
}

void EditorView::fitToView() {
    m_fitPending = false;
    if (scene() == nullptr || scene()->items().isEmpty()) {
        resetTransform();
        return;
    }

    fitInView(scene()->itemsBoundingRect().adjusted(-30.0, -30.0, 30.0, 30.0), Qt::KeepAspectRatio);
    // A two-node pipeline would otherwise be blown up to fill the screen.
    if (zoom() > kMaxFitZoom)
        zoomBy(kMaxFitZoom / zoom());
    else if (zoom() < kMinZoom)
        zoomBy(kMinZoom / zoom());
}

void EditorView::zoomBy(double factor) {
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    const double applied = target / zoom();
    scale(applied, applied);
}

void EditorView::addNodeAtCentre(const QString& type) {
    addNodeAt(type, mapToScene(viewport()->rect().center()));
}

void EditorView::addNodeAt(const QString& type, QPointF scenePos) {
    EditorScene* editor = editorScene();
    if (editor == nullptr)
        return;
    // The node's header lands under the cursor, centred.
    const QPointF topLeft(std::round(scenePos.x() - NodeItem::kWidth / 2.0),
                          std::round(scenePos.y() - 12.0));
    const std::string id = editor->document()->addNode(type.toStdString(), topLeft);
    if (!id.empty())
        editor->selectNodes({id});
    setFocus();
}

void EditorView::wheelEvent(QWheelEvent* event) {
    if (!(event->modifiers() & Qt::ControlModifier)) {
        QGraphicsView::wheelEvent(event);
        return;
    }

    // One notch (120 eighths of a degree) zooms by 15 %; touchpads send smaller steps.
    zoomBy(std::pow(1.15, event->angleDelta().y() / 120.0));
    event->accept();
}

void EditorView::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    if (m_fitPending)
        fitToView();
}

void EditorView::drawBackground(QPainter* painter, const QRectF& rect) {
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

void EditorView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        setSpacePanning(true);
        event->accept();
        return;
    }
    if ((event->key() == Qt::Key_Delete || event->key() == Qt::Key_Backspace) &&
        editorScene() != nullptr) {
        editorScene()->deleteSelection();
        event->accept();
        return;
    }
    QGraphicsView::keyPressEvent(event);
}

void EditorView::keyReleaseEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        setSpacePanning(false);
        event->accept();
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

void EditorView::setSpacePanning(bool on) {
    // While Space is held the whole canvas pans, nodes included, as in drawing programs.
    setInteractive(!on);
    setDragMode(on ? QGraphicsView::ScrollHandDrag : QGraphicsView::RubberBandDrag);
}

void EditorView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::MiddleButton) {
        m_middlePanning = true;
        m_panFrom = event->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void EditorView::mouseMoveEvent(QMouseEvent* event) {
    if (m_middlePanning) {
        const QPoint delta = event->position().toPoint() - m_panFrom;
        m_panFrom = event->position().toPoint();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void EditorView::mouseReleaseEvent(QMouseEvent* event) {
    if (m_middlePanning && event->button() == Qt::MiddleButton) {
        m_middlePanning = false;
        viewport()->unsetCursor();
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void EditorView::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasFormat(kNodeTypeMimeType))
        event->acceptProposedAction();
    else
        QGraphicsView::dragEnterEvent(event);
}

void EditorView::dragMoveEvent(QDragMoveEvent* event) {
    if (event->mimeData()->hasFormat(kNodeTypeMimeType))
        event->acceptProposedAction();
    else
        QGraphicsView::dragMoveEvent(event);
}

void EditorView::dropEvent(QDropEvent* event) {
    if (!event->mimeData()->hasFormat(kNodeTypeMimeType)) {
        QGraphicsView::dropEvent(event);
        return;
    }
    const QString type = QString::fromUtf8(event->mimeData()->data(kNodeTypeMimeType));
    addNodeAt(type, mapToScene(event->position().toPoint()));
    event->acceptProposedAction();
}

}  // namespace crl::widgets
