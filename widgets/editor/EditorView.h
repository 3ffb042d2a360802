#pragma once
// The canvas the node editor is drawn on: a view of an EditorScene. Ctrl+wheel zooms about the
// cursor, the middle button or Space+drag pans, a left drag on empty canvas box-selects, Delete
// removes the selection. Node types dropped from the palette (kNodeTypeMimeType) are added
// where they are dropped.

#include <QGraphicsView>

#include <string>

namespace crl::widgets {

class EditorScene;

class EditorView : public QGraphicsView {
    Q_OBJECT

public:
    explicit EditorView(QWidget* parent = nullptr);

    /// Shows `scene` (not owned); fits it once the view has its size.
    void setEditorScene(EditorScene* scene);
    EditorScene* editorScene() const;

    /// Current zoom factor (1 = one scene unit per pixel).
    double zoom() const;

public slots:
    /// Scales and centres so that the whole pipeline is visible, never beyond 150 %.
    void fitToView();
    /// Multiplies the zoom by `factor`, clamped to 10 %–400 %.
    void zoomBy(double factor);
    void zoomIn() { zoomBy(1.25); }
    void zoomOut() { zoomBy(0.8); }
    /// Adds a node of `type` at the centre of what is visible and selects it.
    void addNodeAtCentre(const QString& type);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void drawBackground(QPainter* painter, const QRectF& rect) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void addNodeAt(const QString& type, QPointF scenePos);
    void setSpacePanning(bool on);

    /// Fit once the view has its real size; a scene set before show() would fit a 100x30 box.
    bool m_fitPending = false;
    bool m_middlePanning = false;
    QPoint m_panFrom;
};

}  // namespace crl::widgets
