#pragma once
// A pipeline small enough to run a step in milliseconds, for tests of the nodes after the
// encoder: data -> views -> small CNN (width 4) -> MLP head (hidden 16, out `outDim`) -> loss ->
// optimiser. The loss's input edges are the caller's, since they depend on the loss's ports.

#include <map>
#include <string>

#include "graph/PipelineGraph.h"

namespace crl::testing {

/// `encoder` and `head` parameters are added to (and may override) the small defaults.
inline graph::PipelineGraph smallLossPipeline(const std::string& lossType,
                                              std::map<std::string, graph::ParamValue> lossParams,
                                              std::int64_t outDim,
                                              std::map<std::string, graph::ParamValue> encoder = {},
                                              std::map<std::string, graph::ParamValue> head = {}) {
    encoder.emplace("width", std::int64_t{4});
    head.emplace("hidden_dim", std::int64_t{16});
    head.emplace("out_dim", outDim);
    graph::PipelineGraph g;
    g.nodes = {
        {"data", "data.images", {}, 0, 0},
        {"views", "similarity.augment_views", {}, 0, 0},
        {"encoder", "encoder.small_cnn", std::move(encoder), 0, 0},
        {"head", "head.mlp_projection", std::move(head), 0, 0},
        {"loss", lossType, std::move(lossParams), 0, 0},
        {"optimiser", "optim.optimiser", {}, 0, 0},
    };
    g.edges = {
        {{"data", "images"}, {"views", "images"}},
        {{"views", "views"}, {"encoder", "views"}},
        {{"encoder", "representation"}, {"head", "representation"}},
        {{"loss", "loss"}, {"optimiser", "loss"}},
    };
    return g;
}

}  // namespace crl::testing
