// Transform-head nodes (survey §III-D): h(v) -> z, the metric embedding the loss compares.

#include "graph/nodes/NodeFamilies.h"
#include "graph/nodes/PairedModuleStage.h"
#include "graph/nodes/ParamSpecs.h"
#include "models/ProjectionHead.h"

namespace crl::graph::nodes {
namespace {

std::unique_ptr<Stage> buildMlpProjection(const Node& node, const BuildContext& context) {
    const PipelineGraph& g = context.graph;
    models::ProjectionHead head(models::ProjectionHeadOptions(context.inputDim("representation"))
                                    .hidden_dim(g.integer(node, "hidden_dim"))
                                    .out_dim(g.integer(node, "out_dim"))
                                    .layers(g.integer(node, "layers"))
                                    .batch_norm(g.boolean(node, "batch_norm")));
    std::int64_t dim = head->options.out_dim();
    return std::make_unique<PairedModuleStage<models::ProjectionHead>>(head, "representation",
                                                                       "embedding", dim);
}

}  // namespace

void registerHeadNodes(NodeCatalogue& catalogue) {
    catalogue.add({
        "head.mlp_projection",
        Family::Head,
        "MLP projection head",
        "Projects the representation v to the metric embedding z on which the loss is computed "
        "(SimCLR): `layers` linear layers with batch norm and ReLU between them (1 = a linear "
        "projection). Keeping the loss off v lets v keep information the loss would discard.",
        "§III-D1",
        {{"representation", PortType::Representation, "representation v"}},
        {{"embedding", PortType::Embedding, "metric embedding z"}},
        {intParam("hidden_dim", 256, 1, 8192, "", "width of the hidden layers"),
         intParam("out_dim", 128, 1, 8192, "", "dimension of z"),
         intParam("layers", 2, 1, 4, "", "number of linear layers; 1 is a linear projection"),
         boolParam("batch_norm", true, "batch norm after each hidden layer")},
        &buildMlpProjection,
    });
}

}  // namespace crl::graph::nodes
