#include "widgets/editor/GraphDocument.h"

#include <QFileInfo>
#include <QUndoStack>

#include <algorithm>
#include <cassert>
#include <set>

#include "graph/NodeCatalogue.h"
#include "widgets/editor/AutoLayout.h"
#include "widgets/editor/EditorLog.h"
#include "widgets/editor/GraphCommands.h"

Q_LOGGING_CATEGORY(lcEditor, "crl.widgets.editor")

namespace crl::widgets {

namespace {

/// The id a new node of `family` starts from, as the shipped projects name their nodes.
std::string familyBaseId(graph::Family family) {
    switch (family) {
        case graph::Family::Data:
            return "data";
        case graph::Family::Similarity:
            return "views";
        case graph::Family::Encoder:
            return "encoder";
        case graph::Family::Head:
            return "head";
        case graph::Family::Loss:
            return "loss";
        case graph::Family::Optimiser:
            return "optimiser";
        case graph::Family::Monitor:
            return "monitor";
    }
    return "node";
}

/// The id a copy of `id` is numbered from: a copy of "encoder_2" is "encoder_3", not
/// "encoder_2_2".
std::string copyBaseId(const std::string& id) {
    const std::size_t underscore = id.find_last_of('_');
    const bool numbered = underscore != std::string::npos && underscore > 0 &&
                          underscore + 1 < id.size() &&
                          id.find_first_not_of("0123456789", underscore + 1) == std::string::npos;
    if (id.empty())
        return "node";
    return numbered ? id.substr(0, underscore) : id;
}

QString nodeLabel(const std::string& id) {
    return QString::fromStdString(id);
}

}  // namespace

GraphDocument::GraphDocument(QObject* parent)
    : GraphDocument(io::Project{}, std::filesystem::path{}, parent) {}

GraphDocument::GraphDocument(io::Project project, std::filesystem::path file, QObject* parent)
    : QObject(parent),
      m_project(std::move(project)),
      m_file(std::move(file)),
      m_undoStack(new QUndoStack(this)) {
    // A file written by hand may give no positions: every node would sit at (0, 0), one on
    // top of the other. Lay such a graph out in the framework's columns instead.
    std::vector<graph::Node>& nodes = m_project.graph.nodes;
    const bool stacked =
        nodes.size() > 1 && std::all_of(nodes.begin(), nodes.end(), [&](const graph::Node& n) {
            return n.x == nodes.front().x && n.y == nodes.front().y;
        });
    if (stacked) {
        const std::map<std::string, QPointF> positions =
            layeredLayout(m_project.graph, {}, kDefaultNodeSize);
        for (graph::Node& node : nodes) {
            node.x = positions.at(node.id).x();
            node.y = positions.at(node.id).y();
        }
    }
    revalidate();
}

GraphDocument::~GraphDocument() = default;

QString GraphDocument::displayName() const {
    if (!m_project.name.empty())
        return QString::fromStdString(m_project.name);
    if (!m_file.empty())
        return QFileInfo(QString::fromStdString(m_file.string())).fileName();
    return tr("Untitled");
}

bool GraphDocument::isModified() const {
    return !m_undoStack->isClean();
}

void GraphDocument::saveAs(const std::filesystem::path& file) {
    io::saveProject(m_project, file);
    qCInfo(lcEditor) << "saved" << QString::fromStdString(file.string());

    m_project.folder = file.parent_path();
    m_undoStack->setClean();
    if (file != m_file) {
        m_file = file;
        emit filePathChanged();
    }
}

// ---- edits ----------------------------------------------------------------------------------

std::string GraphDocument::addNode(const std::string& type, QPointF position,
                                   const std::string& preferredId) {
    const graph::NodeType* spec = graph::NodeCatalogue::instance().find(type);
    if (spec == nullptr) {
        qCWarning(lcEditor) << "no node type" << QString::fromStdString(type)
                            << "in the catalogue; nothing added";
        return {};
    }

    graph::Node node;
    node.id = freshId(type, preferredId);
    node.type = type;
    node.x = position.x();
    node.y = position.y();

    const QString text = tr("Add %1").arg(QString::fromStdString(spec->title));
    m_undoStack->push(new InsertCommand(this, text, {node}, {}));
    return node.id;
}

bool GraphDocument::remove(const std::vector<std::string>& nodes,
                           const std::vector<graph::Edge>& edges) {
    const QString text = nodes.empty() ? tr("Disconnect") : tr("Delete");
    auto* command = new RemoveCommand(this, text, nodes, edges);
    if (command->isEmpty()) {
        delete command;
        return false;
    }

    m_undoStack->push(command);
    return true;
}

bool GraphDocument::moveNodes(const std::map<std::string, QPointF>& positions) {
    std::map<std::string, MoveCommand::Step> steps;
    for (const auto& [id, to] : positions) {
        const graph::Node* node = graph().findNode(id);
        const QPointF from(node == nullptr ? 0.0 : node->x, node == nullptr ? 0.0 : node->y);
        if (node != nullptr && from != to)
            steps[id] = {from, to};
    }
    if (steps.empty())
        return false;

    const QString text =
        steps.size() == 1 ? tr("Move %1").arg(nodeLabel(steps.begin()->first)) : tr("Move nodes");
    m_undoStack->push(new MoveCommand(this, text, std::move(steps), true));
    return true;
}

QString GraphDocument::connectPorts(const graph::PortRef& from, const graph::PortRef& to) {
    const std::string problem = graph::connectionProblem(graph(), from, to);
    if (!problem.empty()) {
        const QString reason = QString::fromStdString(problem);
        qCDebug(lcEditor) << "link refused:" << reason;
        emit connectionRefused(reason);
        return reason;
    }

    m_undoStack->push(new ConnectCommand(this, {from, to}));
    return {};
}

bool GraphDocument::disconnectPorts(const graph::Edge& edge) {
    if (std::find(graph().edges.begin(), graph().edges.end(), edge) == graph().edges.end())
        return false;
    return remove({}, {edge});
}

bool GraphDocument::setParameter(const std::string& node, const std::string& name,
                                 std::optional<graph::ParamValue> value) {
    const graph::Node* target = graph().findNode(node);
    if (target == nullptr)
        return false;
    const auto current = target->params.find(name);
    std::optional<graph::ParamValue> before;
    if (current != target->params.end())
        before = current->second;
    if (before == value)
        return false;

    m_undoStack->push(new SetParameterCommand(this, node, name, before, std::move(value)));
    return true;
}

bool GraphDocument::setRunSettings(const train::RunSettings& settings) {
    if (settings == m_project.run)
        return false;
    m_undoStack->push(new SetRunSettingsCommand(this, m_project.run, settings));
    return true;
}

std::vector<std::string> GraphDocument::paste(const graph::PipelineGraph& fragment,
                                              QPointF offset) {
    return insertCopy(fragment, offset,
                      tr("Paste %n node(s)", nullptr, static_cast<int>(fragment.nodes.size())));
}

std::vector<std::string> GraphDocument::duplicate(const std::vector<std::string>& nodes) {
    const graph::PipelineGraph copy = fragment(nodes);
    return insertCopy(copy, kDuplicateOffset,
                      tr("Duplicate %n node(s)", nullptr, static_cast<int>(copy.nodes.size())));
}

std::vector<std::string> GraphDocument::insertCopy(const graph::PipelineGraph& fragment,
                                                   QPointF offset, const QString& text) {
    if (fragment.nodes.empty())
        return {};

    // Fresh ids against the graph plus the copies already renamed, so that two copies of
    // "encoder" become "encoder_2" and "encoder_3".
    graph::PipelineGraph taken = graph();
    std::map<std::string, std::string> renamed;
    std::vector<graph::Node> nodes;
    for (graph::Node node : fragment.nodes) {
        const std::string id = taken.uniqueId(copyBaseId(node.id));
        renamed[node.id] = id;
        node.id = id;
        node.x += offset.x();
        node.y += offset.y();
        taken.nodes.push_back(node);
        nodes.push_back(std::move(node));
    }

    std::vector<graph::Edge> edges;
    for (graph::Edge edge : fragment.edges) {
        const auto from = renamed.find(edge.from.node);
        const auto to = renamed.find(edge.to.node);
        if (from == renamed.end() || to == renamed.end())
            continue;  // a fragment's edges stay inside it
        edge.from.node = from->second;
        edge.to.node = to->second;
        edges.push_back(std::move(edge));
    }

    std::vector<std::string> ids;
    for (const graph::Node& node : nodes)
        ids.push_back(node.id);
    m_undoStack->push(new InsertCommand(this, text, std::move(nodes), std::move(edges)));
    return ids;
}

bool GraphDocument::autoLayout(const std::map<std::string, QSizeF>& sizes) {
    const std::map<std::string, QPointF> positions =
        layeredLayout(graph(), sizes, kDefaultNodeSize);

    std::map<std::string, MoveCommand::Step> steps;
    for (const graph::Node& node : graph().nodes) {
        const QPointF from(node.x, node.y);
        const QPointF to = positions.at(node.id);
        if (from != to)
            steps[node.id] = {from, to};
    }
    if (steps.empty())
        return false;

    m_undoStack->push(new MoveCommand(this, tr("Auto-layout"), std::move(steps), false));
    return true;
}

// ---- reading --------------------------------------------------------------------------------

graph::PipelineGraph GraphDocument::fragment(const std::vector<std::string>& nodes) const {
    const std::set<std::string> wanted(nodes.begin(), nodes.end());
    graph::PipelineGraph part;
    for (const graph::Node& node : graph().nodes)
        if (wanted.count(node.id) != 0)
            part.nodes.push_back(node);
    for (const graph::Edge& edge : graph().edges)
        if (wanted.count(edge.from.node) != 0 && wanted.count(edge.to.node) != 0)
            part.edges.push_back(edge);
    return part;
}

// ---- primitive mutations --------------------------------------------------------------------

void GraphDocument::insertNode(std::size_t index, const graph::Node& node) {
    auto& nodes = m_project.graph.nodes;
    assert(index <= nodes.size());
    nodes.insert(nodes.begin() + static_cast<std::ptrdiff_t>(index), node);
    emit nodeAdded(node.id);
}

graph::Node GraphDocument::takeNode(const std::string& id, std::size_t* index) {
    auto& nodes = m_project.graph.nodes;
    const auto it =
        std::find_if(nodes.begin(), nodes.end(), [&](const graph::Node& n) { return n.id == id; });
    assert(it != nodes.end() && "a command took a node that is not there");
    if (index != nullptr)
        *index = static_cast<std::size_t>(it - nodes.begin());
    graph::Node node = std::move(*it);
    nodes.erase(it);
    emit nodeRemoved(id);
    return node;
}

void GraphDocument::insertEdge(std::size_t index, const graph::Edge& edge) {
    auto& edges = m_project.graph.edges;
    assert(index <= edges.size());
    edges.insert(edges.begin() + static_cast<std::ptrdiff_t>(index), edge);
    emit edgeAdded(edge);
}

std::size_t GraphDocument::takeEdge(const graph::Edge& edge) {
    auto& edges = m_project.graph.edges;
    // The last equal edge: duplicates (possible in a hand-written file) leave in reverse order.
    const auto it = std::find(edges.rbegin(), edges.rend(), edge);
    assert(it != edges.rend() && "a command took an edge that is not there");
    const auto index = static_cast<std::size_t>(edges.rend() - it - 1);
    edges.erase(edges.begin() + static_cast<std::ptrdiff_t>(index));
    emit edgeRemoved(edge);
    return index;
}

void GraphDocument::setNodePosition(const std::string& id, QPointF position) {
    graph::Node* node = m_project.graph.findNode(id);
    assert(node != nullptr);
    node->x = position.x();
    node->y = position.y();
    emit nodeChanged(id);
}

void GraphDocument::setNodeParameter(const std::string& id, const std::string& name,
                                     const std::optional<graph::ParamValue>& value) {
    graph::Node* node = m_project.graph.findNode(id);
    assert(node != nullptr);
    if (value)
        node->params[name] = *value;
    else
        node->params.erase(name);
    emit nodeChanged(id);
}

void GraphDocument::assignRunSettings(const train::RunSettings& settings) {
    m_project.run = settings;
    emit runSettingsChanged();
}

void GraphDocument::finishEdit() {
    revalidate();
    emit graphChanged();
}

void GraphDocument::revalidate() {
    m_nodeProblems.clear();
    m_graphProblems.clear();
    for (const graph::ValidationIssue& issue : graph::validate(graph())) {
        const QString text = QString::fromStdString(issue.describe());
        if (!issue.node.empty() && graph().findNode(issue.node) != nullptr)
            m_nodeProblems[issue.node].append(text);
        else
            m_graphProblems.append(text);
    }
    emit problemsChanged();
}

std::string GraphDocument::freshId(const std::string& type, const std::string& preferred) const {
    if (!preferred.empty())
        return graph().uniqueId(preferred);
    const graph::NodeType* spec = graph::NodeCatalogue::instance().find(type);
    return graph().uniqueId(spec == nullptr ? "node" : familyBaseId(spec->family));
}

}  // namespace crl::widgets
