#include "graph/PipelineGraph.h"

#include <algorithm>
#include <deque>
#include <set>

#include "common/Error.h"
#include "graph/NodeCatalogue.h"

namespace crl::graph {

const Node* PipelineGraph::findNode(const std::string& id) const {
    auto it = std::find_if(nodes.begin(), nodes.end(), [&](const Node& n) { return n.id == id; });
    return it == nodes.end() ? nullptr : &*it;
}

Node* PipelineGraph::findNode(const std::string& id) {
    auto it = std::find_if(nodes.begin(), nodes.end(), [&](const Node& n) { return n.id == id; });
    return it == nodes.end() ? nullptr : &*it;
}

const Edge* PipelineGraph::edgeInto(const PortRef& input) const {
    auto it =
        std::find_if(edges.begin(), edges.end(), [&](const Edge& e) { return e.to == input; });
    return it == edges.end() ? nullptr : &*it;
}

ParamValue PipelineGraph::param(const Node& node, const std::string& name) const {
    const NodeType* type = NodeCatalogue::instance().find(node.type);
    if (type == nullptr) {
        throw ProjectError("node '" + node.id + "' has the unknown type '" + node.type + "'");
    }
    const ParamSpec* spec = type->param(name);
    if (spec == nullptr) {
        throw ProjectError("node '" + node.id + "' (" + node.type + ") has no parameter '" + name +
                           "'");
    }
    auto it = node.params.find(name);
    return it == node.params.end() ? spec->defaultValue : it->second;
}

double PipelineGraph::real(const Node& node, const std::string& name) const {
    ParamValue value = param(node, name);
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
        return static_cast<double>(*i);
    }
    if (const auto* d = std::get_if<double>(&value)) {
        return *d;
    }
    throw ProjectError("node '" + node.id + "', parameter '" + name + "': expected a number, got " +
                       toString(value));
}

std::int64_t PipelineGraph::integer(const Node& node, const std::string& name) const {
    ParamValue value = param(node, name);
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
        return *i;
    }
    throw ProjectError("node '" + node.id + "', parameter '" + name +
                       "': expected a whole number, got " + toString(value));
}

bool PipelineGraph::boolean(const Node& node, const std::string& name) const {
    ParamValue value = param(node, name);
    if (const auto* b = std::get_if<bool>(&value)) {
        return *b;
    }
    throw ProjectError("node '" + node.id + "', parameter '" + name +
                       "': expected true or false, got " + toString(value));
}

std::string PipelineGraph::text(const Node& node, const std::string& name) const {
    ParamValue value = param(node, name);
    if (const auto* s = std::get_if<std::string>(&value)) {
        return *s;
    }
    throw ProjectError("node '" + node.id + "', parameter '" + name + "': expected text, got " +
                       toString(value));
}

std::string PipelineGraph::uniqueId(const std::string& base) const {
    if (findNode(base) == nullptr) {
        return base;
    }
    for (int i = 2;; ++i) {
        std::string candidate = base + "_" + std::to_string(i);
        if (findNode(candidate) == nullptr) {
            return candidate;
        }
    }
}

std::optional<std::vector<std::string>> PipelineGraph::topologicalOrder() const {
    // Kahn's algorithm; ties broken by the nodes' order in the file so the order is stable.
    std::map<std::string, int> indegree;
    for (const Node& node : nodes) {
        indegree[node.id] = 0;
    }
    for (const Edge& edge : edges) {
        if (indegree.count(edge.from.node) != 0 && indegree.count(edge.to.node) != 0) {
            ++indegree[edge.to.node];
        }
    }

    // One entry per distinct id: a duplicated id is a validation issue of its own, not a cycle.
    std::vector<std::string> order;
    std::set<std::string> placed;
    while (order.size() < indegree.size()) {
        const Node* next = nullptr;
        for (const Node& node : nodes) {
            if (placed.count(node.id) == 0 && indegree[node.id] == 0) {
                next = &node;
                break;
            }
        }
        if (next == nullptr) {
            return std::nullopt;
        }

        order.push_back(next->id);
        placed.insert(next->id);
        for (const Edge& edge : edges) {
            if (edge.from.node == next->id && indegree.count(edge.to.node) != 0) {
                --indegree[edge.to.node];
            }
        }
    }
    return order;
}

}  // namespace crl::graph
