#pragma once
// A pipeline as the user drew it: nodes (a catalogue type, parameter values, a canvas position)
// and edges from an output port to an input port. Pure data, torch-free; the editor's undo
// stack, the project file and the compiler all work on this one model.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "graph/ParamValue.h"

namespace crl::graph {

struct Node {
    std::string id;
    std::string type;
    std::map<std::string, ParamValue> params;  ///< only the values the user set
    double x = 0.0;
    double y = 0.0;

    bool operator==(const Node&) const = default;
};

struct PortRef {
    std::string node;
    std::string port;

    bool operator==(const PortRef&) const = default;
};

struct Edge {
    PortRef from;  ///< an output port
    PortRef to;    ///< an input port

    bool operator==(const Edge&) const = default;
};

class PipelineGraph {
public:
    std::vector<Node> nodes;
    std::vector<Edge> edges;

    bool operator==(const PipelineGraph&) const = default;

    const Node* findNode(const std::string& id) const;
    Node* findNode(const std::string& id);
    /// The edge that feeds an input port, if any.
    const Edge* edgeInto(const PortRef& input) const;

    /// The value of a parameter: the node's own value, else the catalogue default.
    /// Throws ProjectError for an unknown node type or parameter name.
    ParamValue param(const Node& node, const std::string& name) const;
    double real(const Node& node, const std::string& name) const;
    std::int64_t integer(const Node& node, const std::string& name) const;
    bool boolean(const Node& node, const std::string& name) const;
    std::string text(const Node& node, const std::string& name) const;

    /// A node id not used yet, "base", "base_2", ...
    std::string uniqueId(const std::string& base) const;
    /// Nodes in an order where every edge goes forward; nullopt when there is a cycle.
    std::optional<std::vector<std::string>> topologicalOrder() const;
};

}  // namespace crl::graph
