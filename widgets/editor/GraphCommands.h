#pragma once
// The undoable edits of a GraphDocument. Every command records enough to restore the graph
// exactly (node and edge indices included), so undo followed by redo is the identity on
// PipelineGraph. Commands are built by GraphDocument's edit functions; views never build them.

#include <QPointF>
#include <QUndoCommand>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "graph/PipelineGraph.h"
#include "train/RunSettings.h"

namespace crl::widgets {

class GraphDocument;

/// Base of the commands: the only code allowed to call GraphDocument's primitive mutations.
class GraphCommand : public QUndoCommand {
public:
    GraphCommand(GraphDocument* document, const QString& text);

protected:
    void insertNode(std::size_t index, const graph::Node& node);
    graph::Node takeNode(const std::string& id, std::size_t* index);
    void insertEdge(std::size_t index, const graph::Edge& edge);
    std::size_t takeEdge(const graph::Edge& edge);
    void setNodePosition(const std::string& id, QPointF position);
    void setNodeParameter(const std::string& id, const std::string& name,
                          const std::optional<graph::ParamValue>& value);
    void assignRunSettings(const train::RunSettings& settings);
    void finishEdit();
    const graph::PipelineGraph& graph() const;

private:
    GraphDocument* m_document;
};

/// Appends nodes and then edges (one node for "Add", a fragment for "Paste"/"Duplicate").
class InsertCommand : public GraphCommand {
public:
    InsertCommand(GraphDocument* document, const QString& text, std::vector<graph::Node> nodes,
                  std::vector<graph::Edge> edges);
    void redo() override;
    void undo() override;

private:
    std::vector<graph::Node> m_nodes;
    std::vector<graph::Edge> m_edges;
};

/// Removes edges and nodes; the edges attached to a removed node are removed first.
class RemoveCommand : public GraphCommand {
public:
    /// Records the current indices of what goes; call before the first redo().
    RemoveCommand(GraphDocument* document, const QString& text,
                  const std::vector<std::string>& nodes, const std::vector<graph::Edge>& edges);
    void redo() override;
    void undo() override;
    bool isEmpty() const { return m_nodes.empty() && m_edges.empty(); }

private:
    std::vector<std::pair<std::size_t, graph::Node>> m_nodes;  ///< ascending index
    std::vector<std::pair<std::size_t, graph::Edge>> m_edges;  ///< ascending index
};

/// Appends one edge.
class ConnectCommand : public GraphCommand {
public:
    ConnectCommand(GraphDocument* document, graph::Edge edge);
    void redo() override;
    void undo() override;

private:
    graph::Edge m_edge;
};

/// Moves nodes. Mergeable moves of the same node set collapse into one step.
class MoveCommand : public GraphCommand {
public:
    struct Step {
        QPointF from;
        QPointF to;
    };
    enum { Id = 1 };

    MoveCommand(GraphDocument* document, const QString& text, std::map<std::string, Step> steps,
                bool mergeable);
    void redo() override;
    void undo() override;
    int id() const override { return m_mergeable ? Id : -1; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    std::map<std::string, Step> m_steps;
    bool m_mergeable;
};

/// Sets one parameter, or unsets it (back to the catalogue default).
class SetParameterCommand : public GraphCommand {
public:
    enum { Id = 2 };

    SetParameterCommand(GraphDocument* document, std::string node, std::string name,
                        std::optional<graph::ParamValue> before,
                        std::optional<graph::ParamValue> after);
    void redo() override;
    void undo() override;
    int id() const override { return Id; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    std::string m_node;
    std::string m_name;
    std::optional<graph::ParamValue> m_before;
    std::optional<graph::ParamValue> m_after;
};

/// Replaces the project's run settings. Consecutive changes merge into one step.
class SetRunSettingsCommand : public GraphCommand {
public:
    enum { Id = 3 };

    SetRunSettingsCommand(GraphDocument* document, train::RunSettings before,
                          train::RunSettings after);
    void redo() override;
    void undo() override;
    int id() const override { return Id; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    train::RunSettings m_before;
    train::RunSettings m_after;
};

}  // namespace crl::widgets
