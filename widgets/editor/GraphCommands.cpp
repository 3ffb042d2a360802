#include "widgets/editor/GraphCommands.h"

#include <algorithm>
#include <cassert>
#include <iterator>

#include "widgets/editor/GraphDocument.h"

namespace crl::widgets {

// ---- GraphCommand ---------------------------------------------------------------------------

GraphCommand::GraphCommand(GraphDocument* document, const QString& text) : m_document(document) {
    assert(document != nullptr);
    setText(text);
}

void GraphCommand::insertNode(std::size_t index, const graph::Node& node) {
    m_document->insertNode(index, node);
}

graph::Node GraphCommand::takeNode(const std::string& id, std::size_t* index) {
    return m_document->takeNode(id, index);
}

void GraphCommand::insertEdge(std::size_t index, const graph::Edge& edge) {
    m_document->insertEdge(index, edge);
}

std::size_t GraphCommand::takeEdge(const graph::Edge& edge) {
    return m_document->takeEdge(edge);
}

void GraphCommand::setNodePosition(const std::string& id, QPointF position) {
    m_document->setNodePosition(id, position);
}

void GraphCommand::setNodeParameter(const std::string& id, const std::string& name,
                                    const std::optional<graph::ParamValue>& value) {
    m_document->setNodeParameter(id, name, value);
}

void GraphCommand::assignRunSettings(const train::RunSettings& settings) {
    m_document->assignRunSettings(settings);
}

void GraphCommand::finishEdit() {
    m_document->finishEdit();
}

const graph::PipelineGraph& GraphCommand::graph() const {
    return m_document->graph();
}

// ---- InsertCommand --------------------------------------------------------------------------

InsertCommand::InsertCommand(GraphDocument* document, const QString& text,
                             std::vector<graph::Node> nodes, std::vector<graph::Edge> edges)
    : GraphCommand(document, text), m_nodes(std::move(nodes)), m_edges(std::move(edges)) {}

void InsertCommand::redo() {
    for (const graph::Node& node : m_nodes)
        insertNode(graph().nodes.size(), node);
    for (const graph::Edge& edge : m_edges)
        insertEdge(graph().edges.size(), edge);

    finishEdit();
}

void InsertCommand::undo() {
    // Everything was appended, so taking it back in reverse restores the old order.
    for (auto edge = m_edges.rbegin(); edge != m_edges.rend(); ++edge)
        takeEdge(*edge);
    for (auto node = m_nodes.rbegin(); node != m_nodes.rend(); ++node)
        takeNode(node->id, nullptr);

    finishEdit();
}

// ---- RemoveCommand --------------------------------------------------------------------------

RemoveCommand::RemoveCommand(GraphDocument* document, const QString& text,
                             const std::vector<std::string>& nodes,
                             const std::vector<graph::Edge>& edges)
    : GraphCommand(document, text) {
    const graph::PipelineGraph& g = graph();
    auto named = [&](const std::string& id) {
        return std::find(nodes.begin(), nodes.end(), id) != nodes.end();
    };
    for (std::size_t i = 0; i < g.nodes.size(); ++i)
        if (named(g.nodes[i].id))
            m_nodes.emplace_back(i, g.nodes[i]);
    for (std::size_t i = 0; i < g.edges.size(); ++i) {
        const graph::Edge& edge = g.edges[i];
        const bool listed = std::find(edges.begin(), edges.end(), edge) != edges.end();
        if (listed || named(edge.from.node) || named(edge.to.node))
            m_edges.emplace_back(i, edge);
    }
}

void RemoveCommand::redo() {
    // Links before nodes, so that no edge ever names a missing node.
    for (auto edge = m_edges.rbegin(); edge != m_edges.rend(); ++edge)
        takeEdge(edge->second);
    for (auto node = m_nodes.rbegin(); node != m_nodes.rend(); ++node)
        takeNode(node->second.id, nullptr);

    finishEdit();
}

void RemoveCommand::undo() {
    // Ascending indices: each insertion lands where it was, given the earlier ones are back.
    for (const auto& [index, node] : m_nodes)
        insertNode(index, node);
    for (const auto& [index, edge] : m_edges)
        insertEdge(index, edge);

    finishEdit();
}

// ---- ConnectCommand -------------------------------------------------------------------------

ConnectCommand::ConnectCommand(GraphDocument* document, graph::Edge edge)
    : GraphCommand(
          document,
          QObject::tr("Connect %1.%2 to %3.%4")
              .arg(QString::fromStdString(edge.from.node), QString::fromStdString(edge.from.port),
                   QString::fromStdString(edge.to.node), QString::fromStdString(edge.to.port))),
      m_edge(std::move(edge)) {}

void ConnectCommand::redo() {
    insertEdge(graph().edges.size(), m_edge);
    finishEdit();
}

void ConnectCommand::undo() {
    takeEdge(m_edge);
    finishEdit();
}

// ---- MoveCommand ----------------------------------------------------------------------------

MoveCommand::MoveCommand(GraphDocument* document, const QString& text,
                         std::map<std::string, Step> steps, bool mergeable)
    : GraphCommand(document, text), m_steps(std::move(steps)), m_mergeable(mergeable) {}

void MoveCommand::redo() {
    for (const auto& [id, step] : m_steps)
        setNodePosition(id, step.to);
    finishEdit();
}

void MoveCommand::undo() {
    for (const auto& [id, step] : m_steps)
        setNodePosition(id, step.from);
    finishEdit();
}

bool MoveCommand::mergeWith(const QUndoCommand* other) {
    const auto* move = static_cast<const MoveCommand*>(other);
    if (!move->m_mergeable || move->m_steps.size() != m_steps.size())
        return false;
    for (const auto& [id, step] : move->m_steps)
        if (m_steps.count(id) == 0)
            return false;

    for (const auto& [id, step] : move->m_steps)
        m_steps[id].to = step.to;
    return true;
}

// ---- SetParameterCommand --------------------------------------------------------------------

SetParameterCommand::SetParameterCommand(GraphDocument* document, std::string node,
                                         std::string name, std::optional<graph::ParamValue> before,
                                         std::optional<graph::ParamValue> after)
    : GraphCommand(document,
                   after ? QObject::tr("Set %1.%2")
                               .arg(QString::fromStdString(node), QString::fromStdString(name))
                         : QObject::tr("Reset %1.%2")
                               .arg(QString::fromStdString(node), QString::fromStdString(name))),
      m_node(std::move(node)),
      m_name(std::move(name)),
      m_before(std::move(before)),
      m_after(std::move(after)) {}

void SetParameterCommand::redo() {
    setNodeParameter(m_node, m_name, m_after);
    finishEdit();
}

void SetParameterCommand::undo() {
    setNodeParameter(m_node, m_name, m_before);
    finishEdit();
}

bool SetParameterCommand::mergeWith(const QUndoCommand* other) {
    const auto* set = static_cast<const SetParameterCommand*>(other);
    if (set->m_node != m_node || set->m_name != m_name)
        return false;

    m_after = set->m_after;
    setText(set->text());
    // Typing back the value the step started from leaves nothing to undo.
    setObsolete(m_after == m_before);
    return true;
}

// ---- SetRunSettingsCommand ------------------------------------------------------------------

SetRunSettingsCommand::SetRunSettingsCommand(GraphDocument* document, train::RunSettings before,
                                             train::RunSettings after)
    : GraphCommand(document, QObject::tr("Change run settings")),
      m_before(std::move(before)),
      m_after(std::move(after)) {}

void SetRunSettingsCommand::redo() {
    assignRunSettings(m_after);
    finishEdit();
}

void SetRunSettingsCommand::undo() {
    assignRunSettings(m_before);
    finishEdit();
}

namespace {

/// One bit per field of RunSettings that differs between `a` and `b`.
unsigned changedFields(const train::RunSettings& a, const train::RunSettings& b) {
    const bool differs[] = {a.epochs != b.epochs,
                            a.batchSize != b.batchSize,
                            a.seed != b.seed,
                            a.device != b.device,
                            a.threads != b.threads,
                            a.metricsEvery != b.metricsEvery,
                            a.monitorSamples != b.monitorSamples,
                            a.knnK != b.knnK,
                            a.knnTemperature != b.knnTemperature,
                            a.maxSamples != b.maxSamples,
                            a.maxEvalSamples != b.maxEvalSamples,
                            a.checkpointEvery != b.checkpointEvery};
    unsigned mask = 0;
    for (std::size_t i = 0; i < std::size(differs); ++i)
        mask |= differs[i] ? 1U << i : 0U;
    return mask;
}

}  // namespace

bool SetRunSettingsCommand::mergeWith(const QUndoCommand* other) {
    // Spinning one setting is one step; changing another setting is a step of its own.
    const auto* set = static_cast<const SetRunSettingsCommand*>(other);
    if (changedFields(set->m_before, set->m_after) != changedFields(m_before, m_after))
        return false;
    m_after = set->m_after;
    // Spinning back to where the step started leaves nothing to undo.
    setObsolete(m_after == m_before);
    return true;
}

}  // namespace crl::widgets
