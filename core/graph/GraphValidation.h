#pragma once
// Checks a PipelineGraph against the catalogue: known types, typed and in-range parameters,
// compatible and complete connections, no cycles, and the framework's required parts (one data
// set, an encoder, one loss, one optimiser). `crl validate` and the editor's node marks use it.

#include <string>
#include <vector>

#include "graph/PipelineGraph.h"

namespace crl::graph {

struct ValidationIssue {
    std::string node;   ///< node id; empty for graph-wide problems
    std::string field;  ///< parameter or port name; empty when the node as a whole is at fault
    std::string message;

    /// "node 'encoder', 'width': ..." — the form CLI and GUI print.
    std::string describe() const;
};

/// Every problem found, in graph order; empty when the graph compiles.
std::vector<ValidationIssue> validate(const PipelineGraph& graph);

/// Why `from` cannot connect to `to` in this graph, or an empty string when it can
/// (port types match, input not taken, no cycle formed).
std::string connectionProblem(const PipelineGraph& graph, const PortRef& from, const PortRef& to);

}  // namespace crl::graph
