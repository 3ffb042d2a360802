#pragma once
// The node editor's scene: draws one GraphDocument (a NodeItem per node, an EdgeItem per link)
// and turns what the mouse does into the document's edit calls. A finished drag of nodes
// becomes one move command; a drag from a port to a port of the other kind becomes a link, or
// a tooltip saying why the document refused it. The scene follows the document's signals, so
// undo and redo redraw without the scene knowing which command ran (QtNodes' scene/model
// split). Selection lives here, not in the document.

#include <QGraphicsScene>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "graph/PipelineGraph.h"

class QGraphicsPathItem;

namespace crl::widgets {

class EdgeItem;
class GraphDocument;
class NodeItem;

class EditorScene : public QGraphicsScene {
    Q_OBJECT

public:
    /// Draws `document`, which must outlive the scene.
    explicit EditorScene(GraphDocument* document, QObject* parent = nullptr);

    GraphDocument* document() const { return m_document; }

    /// The item drawn for node `id`, or nullptr.
    NodeItem* nodeItem(const std::string& id) const;
    /// The item drawn for `edge`, or nullptr.
    EdgeItem* edgeItem(const graph::Edge& edge) const;
    std::size_t edgeItemCount() const { return m_edges.size(); }

    /// Selected nodes in graph order, and selected links.
    std::vector<std::string> selectedNodeIds() const;
    std::vector<graph::Edge> selectedEdges() const;
    /// Selects exactly these nodes.
    void selectNodes(const std::vector<std::string>& ids);

    /// Drawn size of every node, for auto-layout.
    std::map<std::string, QSizeF> nodeSizes() const;

    /// Called by a NodeItem whose position changed: its links follow.
    void nodeItemMoved(const NodeItem& item);

    /// Links the port at `fromScene` to the port at `toScene`, as a drag between them does.
    /// Returns empty when linked, else why not (the document's reason, or that a point holds
    /// no port, or that both ports are inputs or both outputs).
    QString linkPortsAt(QPointF fromScene, QPointF toScene);

public slots:
    void selectAll();
    /// Removes the selected links and nodes (with their links) as one undo step.
    void deleteSelection();
    void copySelection();
    void cutSelection();
    /// Pastes the clipboard's fragment (if any) beside its original place and selects it.
    void pasteClipboard();
    void duplicateSelection();
    void autoLayout();

signals:
    /// A short message for the status bar (a refused link, a paste with nothing to paste).
    void message(const QString& text);

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;

private:
    struct PortUnder {
        NodeItem* item = nullptr;
        std::string port;
        bool input = false;
    };

    void addNodeItem(const std::string& id);
    void removeNodeItem(const std::string& id);
    void refreshNodeItem(const std::string& id);
    void addEdgeItem(const graph::Edge& edge);
    void removeEdgeItem(const graph::Edge& edge);
    void routeEdge(EdgeItem& item) const;
    void applyProblems();
    std::optional<PortUnder> portUnder(QPointF scenePos) const;
    void commitMoves();
    void finishLinkDrag(QPointF scenePos, QPoint screenPos);

    GraphDocument* m_document;
    std::map<std::string, NodeItem*> m_nodes;
    std::vector<EdgeItem*> m_edges;

    // The link being dragged out of a port, with its live curve.
    std::optional<PortUnder> m_linkStart;
    QGraphicsPathItem* m_linkCurve = nullptr;
};

}  // namespace crl::widgets
