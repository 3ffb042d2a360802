#pragma once
// The node editor's model: one project (its pipeline graph, name, description and run
// settings) being edited, and the undo stack every edit goes through. Each edit is a
// QUndoCommand (see GraphCommands.h), so undo returns the graph to exactly its previous state,
// node and edge order included. After every change the graph is validated with the same
// crl::graph::validate the CLI's `crl validate` uses, and the problems are kept per node.
//
// The document knows nothing of scenes or views (QtNodes' model/scene split): views observe
// its signals and call its edit functions; the document never calls a view.

#include <QObject>
#include <QPointF>
#include <QSizeF>
#include <QString>
#include <QStringList>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "graph/GraphValidation.h"
#include "graph/PipelineGraph.h"
#include "io/ProjectFile.h"

class QUndoStack;

namespace crl::widgets {

class GraphDocument : public QObject {
    Q_OBJECT

public:
    /// An empty, untitled project.
    explicit GraphDocument(QObject* parent = nullptr);
    /// Edits `project`; `file` is where it was read from (empty: untitled, Save asks).
    GraphDocument(io::Project project, std::filesystem::path file, QObject* parent = nullptr);
    ~GraphDocument() override;

    const io::Project& project() const { return m_project; }
    const graph::PipelineGraph& graph() const { return m_project.graph; }
    QUndoStack* undoStack() const { return m_undoStack; }

    /// The file the project is saved to; empty while untitled.
    const std::filesystem::path& filePath() const { return m_file; }
    /// The name shown in the title bar: the project's name, else the file name, else "Untitled".
    QString displayName() const;
    bool isModified() const;

    /// Writes the project atomically to `file` (io::saveProject), adopts it as the file path
    /// and marks the undo stack clean. Throws UserError (the file is then untouched).
    void saveAs(const std::filesystem::path& file);

    // ---- edits; each pushes one undoable command -------------------------------------------

    /// Adds a node of catalogue type `type` at `position`; its id is `preferredId` or a name
    /// derived from the type's family, made unique. Returns the id, or empty (and nothing is
    /// pushed) when the catalogue has no such type.
    std::string addNode(const std::string& type, QPointF position,
                        const std::string& preferredId = {});

    /// Removes `nodes` and `edges`; links attached to a removed node go first and come back on
    /// undo. Returns false (nothing pushed) when nothing named exists.
    bool remove(const std::vector<std::string>& nodes, const std::vector<graph::Edge>& edges = {});

    /// Moves nodes to new positions. Consecutive moves of the same set of nodes merge into one
    /// undo step. Returns false when no node would move.
    bool moveNodes(const std::map<std::string, QPointF>& positions);

    /// Links output `from` to input `to`. When the link is refused (port types differ, the
    /// input is taken, a cycle would form) nothing is pushed, connectionRefused() is emitted
    /// and the reason (connectionProblem()'s text) is returned; on success returns empty.
    QString connectPorts(const graph::PortRef& from, const graph::PortRef& to);

    /// Removes one link. Returns false when it does not exist.
    bool disconnectPorts(const graph::Edge& edge);

    /// Sets a parameter to `value`, or back to the catalogue default when `value` is empty.
    /// Consecutive edits of the same parameter (typing, spinning) merge into one undo step.
    /// Returns false when the node does not exist or the value is unchanged.
    bool setParameter(const std::string& node, const std::string& name,
                      std::optional<graph::ParamValue> value);

    /// Inserts a copy of `fragment`'s nodes and of the edges between them, with fresh unique
    /// ids and positions shifted by `offset`. Returns the new ids in fragment order.
    std::vector<std::string> paste(const graph::PipelineGraph& fragment, QPointF offset);

    /// Pastes a copy of `nodes` (and the links among them) shifted down and right.
    std::vector<std::string> duplicate(const std::vector<std::string>& nodes);

    /// Replaces the project's run settings (epochs, batch size, device… as the run panel edits
    /// them). Consecutive changes merge into one undo step. Returns false when unchanged.
    bool setRunSettings(const train::RunSettings& settings);

    /// Arranges nodes in columns by topological depth (data on the left, optimiser on the
    /// right), each column stacked top to bottom in graph order. `sizes` gives the drawn size
    /// of nodes; nodes missing from it count as kDefaultNodeSize. One undo step.
    bool autoLayout(const std::map<std::string, QSizeF>& sizes = {});

    // ---- reading ------------------------------------------------------------------------------

    /// `nodes` and the edges that run between two of them, as a self-contained graph.
    graph::PipelineGraph fragment(const std::vector<std::string>& nodes) const;

    /// Problems found by the last validation, per node id, as ValidationIssue::describe() text.
    const std::map<std::string, QStringList>& nodeProblems() const { return m_nodeProblems; }
    /// Problems of the graph as a whole (a missing loss, a cycle, an edge to nowhere).
    const QStringList& graphProblems() const { return m_graphProblems; }
    /// Whether the graph compiles: no problem of any kind.
    bool isValid() const { return m_nodeProblems.empty() && m_graphProblems.isEmpty(); }

    static constexpr QSizeF kDefaultNodeSize{230.0, 160.0};
    /// How far pasted and duplicated copies are shifted from their originals.
    static constexpr QPointF kDuplicateOffset{40.0, 40.0};

signals:
    void nodeAdded(const std::string& id);
    void nodeRemoved(const std::string& id);
    /// Parameters or position of a node changed.
    void nodeChanged(const std::string& id);
    void edgeAdded(const graph::Edge& edge);
    void edgeRemoved(const graph::Edge& edge);
    /// Validation ran after an edit; nodeProblems() and graphProblems() are current.
    void problemsChanged();
    /// Any edit, undo or redo finished; the graph is consistent again.
    void graphChanged();
    /// A link was refused; `reason` says why, in a sentence for the status bar.
    void connectionRefused(const QString& reason);
    void filePathChanged();
    /// The project's run settings changed (an edit, its undo or redo).
    void runSettingsChanged();

private:
    // Primitive mutations; the commands in GraphCommands.cpp are made of these. Each emits
    // the fine-grained signal; finishEdit() revalidates and emits graphChanged().
    friend class GraphCommand;
    void insertNode(std::size_t index, const graph::Node& node);
    graph::Node takeNode(const std::string& id, std::size_t* index);
    void insertEdge(std::size_t index, const graph::Edge& edge);
    std::size_t takeEdge(const graph::Edge& edge);
    void setNodePosition(const std::string& id, QPointF position);
    void setNodeParameter(const std::string& id, const std::string& name,
                          const std::optional<graph::ParamValue>& value);
    void assignRunSettings(const train::RunSettings& settings);
    void finishEdit();

    std::vector<std::string> insertCopy(const graph::PipelineGraph& fragment, QPointF offset,
                                        const QString& text);
    void revalidate();
    std::string freshId(const std::string& type, const std::string& preferred) const;

    io::Project m_project;
    std::filesystem::path m_file;
    QUndoStack* m_undoStack;
    std::map<std::string, QStringList> m_nodeProblems;
    QStringList m_graphProblems;
};

}  // namespace crl::widgets
