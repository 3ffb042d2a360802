#include "graph/GraphValidation.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <sstream>

#include "graph/NodeCatalogue.h"

namespace crl::graph {

std::string ValidationIssue::describe() const {
    std::string where;
    if (!node.empty()) {
        where = "node '" + node + "'";
        if (!field.empty()) {
            where += ", '" + field + "'";
        }
        where += ": ";
    }
    return where + message;
}

namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

std::string kindName(ParamKind kind) {
    switch (kind) {
        case ParamKind::Bool:
            return "true or false";
        case ParamKind::Int:
            return "a whole number";
        case ParamKind::Real:
            return "a number";
        case ParamKind::Choice:
            return "one of the listed choices";
        case ParamKind::Text:
        case ParamKind::Path:
            return "text";
    }
    return "?";
}

std::string formatNumber(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

// Checks one value against its spec; returns the problem or an empty string.
std::string paramProblem(const ParamSpec& spec, const ParamValue& value) {
    switch (spec.kind) {
        case ParamKind::Bool:
            return std::holds_alternative<bool>(value)
                       ? ""
                       : "expected true or false, got " + toString(value);
        case ParamKind::Text:
        case ParamKind::Path:
            return std::holds_alternative<std::string>(value)
                       ? ""
                       : "expected text, got " + toString(value);
        case ParamKind::Choice: {
            const auto* s = std::get_if<std::string>(&value);
            if (s == nullptr ||
                std::find(spec.choices.begin(), spec.choices.end(), *s) == spec.choices.end()) {
                return "expected one of " + joined(spec.choices) + ", got " + toString(value);
            }
            return "";
        }
        case ParamKind::Int:
        case ParamKind::Real: {
            double number = 0.0;
            if (const auto* i = std::get_if<std::int64_t>(&value)) {
                number = static_cast<double>(*i);
            } else if (const auto* d = std::get_if<double>(&value);
                       d != nullptr && spec.kind == ParamKind::Real) {
                number = *d;
            } else {
                return "expected " + kindName(spec.kind) + ", got " + toString(value);
            }
            if (!std::isfinite(number) || number < spec.minimum || number > spec.maximum) {
                std::string unit = spec.unit.empty() ? "" : " " + spec.unit;
                return toString(value) + " is outside the allowed range " +
                       formatNumber(spec.minimum) + " to " + formatNumber(spec.maximum) + unit +
                       "; choose a value inside it";
            }
            return "";
        }
    }
    return "";
}

void checkNodes(const PipelineGraph& graph, std::vector<ValidationIssue>& issues) {
    std::set<std::string> seen;
    for (const Node& node : graph.nodes) {
        if (node.id.empty() || node.id.find('.') != std::string::npos) {
            issues.push_back({node.id, "", "a node id must be non-empty and contain no '.'"});
        }
        if (!seen.insert(node.id).second) {
            issues.push_back(
                {node.id, "", "the id is used by more than one node; ids must be unique"});
        }
        const NodeType* type = NodeCatalogue::instance().find(node.type);
        if (type == nullptr) {
            issues.push_back(
                {node.id, "",
                 "unknown node type '" + node.type + "'; see `crl nodes` for the catalogue"});
            continue;
        }
        for (const auto& [name, value] : node.params) {
            const ParamSpec* spec = type->param(name);
            if (spec == nullptr) {
                std::vector<std::string> known;
                for (const ParamSpec& p : type->params) {
                    known.push_back(p.name);
                }
                issues.push_back({node.id, name,
                                  "is not a parameter of " + node.type + "; its parameters are " +
                                      joined(known)});
                continue;
            }
            if (std::string problem = paramProblem(*spec, value); !problem.empty()) {
                issues.push_back({node.id, name, problem});
            }
        }
    }
}

void checkEdges(const PipelineGraph& graph, std::vector<ValidationIssue>& issues) {
    std::set<std::pair<std::string, std::string>> fedInputs;
    for (const Edge& edge : graph.edges) {
        const Node* from = graph.findNode(edge.from.node);
        const Node* to = graph.findNode(edge.to.node);
        std::string label =
            edge.from.node + "." + edge.from.port + " -> " + edge.to.node + "." + edge.to.port;
        if (from == nullptr || to == nullptr) {
            issues.push_back({"", "",
                              "edge " + label + " refers to the missing node '" +
                                  (from == nullptr ? edge.from.node : edge.to.node) + "'"});
            continue;
        }
        const NodeType* fromType = NodeCatalogue::instance().find(from->type);
        const NodeType* toType = NodeCatalogue::instance().find(to->type);
        if (fromType == nullptr || toType == nullptr) {
            continue;  // already reported by checkNodes
        }
        const PortSpec* out = fromType->output(edge.from.port);
        const PortSpec* in = toType->input(edge.to.port);
        if (out == nullptr) {
            issues.push_back({from->id, edge.from.port,
                              "edge " + label + ": " + from->type + " has no output port '" +
                                  edge.from.port + "'"});
            continue;
        }
        if (in == nullptr) {
            issues.push_back(
                {to->id, edge.to.port,
                 "edge " + label + ": " + to->type + " has no input port '" + edge.to.port + "'"});
            continue;
        }
        if (out->type != in->type) {
            issues.push_back({to->id, edge.to.port,
                              "edge " + label + " connects " + std::string(toString(out->type)) +
                                  " to an " + std::string(toString(in->type)) +
                                  " input; port types must match"});
        }
        if (!fedInputs.insert({edge.to.node, edge.to.port}).second) {
            issues.push_back(
                {to->id, edge.to.port, "input is fed by more than one edge; keep one"});
        }
    }

    for (const Node& node : graph.nodes) {
        const NodeType* type = NodeCatalogue::instance().find(node.type);
        if (type == nullptr) {
            continue;
        }
        for (const PortSpec& port : type->inputs) {
            if (port.optional || graph.edgeInto({node.id, port.name}) != nullptr) {
                continue;
            }
            std::string message =
                "required " + std::string(toString(port.type)) + " input is not connected";
            if (port.type == PortType::Labels) {
                // Supervised nodes: say where labels come from rather than only that they lack.
                message += ": " + type->title +
                           " is supervised and needs class labels; connect the data set's "
                           "'labels' output to '" +
                           node.id + "." + port.name + "'";
            }
            issues.push_back({node.id, port.name, message});
        }
    }
}

void checkFramework(const PipelineGraph& graph, std::vector<ValidationIssue>& issues) {
    std::map<Family, int> counts;
    for (const Node& node : graph.nodes) {
        if (const NodeType* type = NodeCatalogue::instance().find(node.type)) {
            ++counts[type->family];
        }
    }
    auto require = [&](Family family, const char* what) {
        if (counts[family] == 0) {
            issues.push_back(
                {"", "",
                 std::string("the pipeline has no ") + what + " node; add one from the palette"});
        }
    };
    require(Family::Data, "data set");
    require(Family::Encoder, "encoder");
    require(Family::Loss, "loss");
    require(Family::Optimiser, "optimiser");
    if (counts[Family::Data] > 1) {
        issues.push_back({"", "",
                          "the pipeline has " + std::to_string(counts[Family::Data]) +
                              " data-set nodes; a pipeline trains on exactly one"});
    }
    for (const char* monitor : {"monitor.embedding_quality", "monitor.knn"}) {
        long copies = std::count_if(graph.nodes.begin(), graph.nodes.end(),
                                    [&](const Node& node) { return node.type == monitor; });
        if (copies > 1) {
            issues.push_back({"", "",
                              "the pipeline has " + std::to_string(copies) + " '" + monitor +
                                  "' nodes; the run measures with one, so keep exactly one"});
        }
    }
    if (counts[Family::Optimiser] > 1) {
        issues.push_back({"", "",
                          "the pipeline has " + std::to_string(counts[Family::Optimiser]) +
                              " optimiser nodes; keep exactly one"});
    }
}

}  // namespace

std::vector<ValidationIssue> validate(const PipelineGraph& graph) {
    std::vector<ValidationIssue> issues;
    checkNodes(graph, issues);
    checkEdges(graph, issues);
    if (!graph.topologicalOrder()) {
        issues.push_back(
            {"", "",
             "the graph contains a cycle; a pipeline must flow from the data set to the loss"});
    }
    checkFramework(graph, issues);
    return issues;
}

std::string connectionProblem(const PipelineGraph& graph, const PortRef& from, const PortRef& to) {
    const Node* fromNode = graph.findNode(from.node);
    const Node* toNode = graph.findNode(to.node);
    if (fromNode == nullptr || toNode == nullptr) {
        return "both ends must be nodes of this pipeline";
    }
    const NodeType* fromType = NodeCatalogue::instance().find(fromNode->type);
    const NodeType* toType = NodeCatalogue::instance().find(toNode->type);
    if (fromType == nullptr || toType == nullptr) {
        return "a node of unknown type cannot be connected";
    }
    const PortSpec* out = fromType->output(from.port);
    const PortSpec* in = toType->input(to.port);
    if (out == nullptr || in == nullptr) {
        return "connect an output port to an input port";
    }
    if (out->type != in->type) {
        return "'" + from.port + "' carries " + std::string(toString(out->type)) + " but '" +
               to.port + "' takes " + std::string(toString(in->type));
    }
    if (graph.edgeInto(to) != nullptr) {
        return "'" + to.node + "." + to.port + "' is already connected; remove that link first";
    }
    if (from.node == to.node) {
        return "a node cannot feed itself: that would form a cycle";
    }
    PipelineGraph trial = graph;
    trial.edges.push_back({from, to});
    if (!trial.topologicalOrder()) {
        return "linking " + from.node + " to " + to.node +
               " would form a cycle; data must flow one way";
    }
    return "";
}

}  // namespace crl::graph
