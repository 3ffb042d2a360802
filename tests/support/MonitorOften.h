#pragma once
// Test runs are a few steps long: measure alignment and uniformity every `every` steps on
// `pairs` held-out pairs, through the pipeline's monitor node as a user would set it.

#include <cstdint>

#include "graph/PipelineGraph.h"

namespace crl::testing {

inline void monitorOften(graph::PipelineGraph& graph, std::int64_t every, std::int64_t pairs) {
    for (graph::Node& node : graph.nodes) {
        if (node.type == "monitor.embedding_quality") {
            node.params["every"] = graph::ParamValue{every};
            node.params["pairs"] = graph::ParamValue{pairs};
        }
    }
}

}  // namespace crl::testing
