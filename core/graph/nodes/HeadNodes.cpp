// Transform-head nodes (survey §III-D): h(v) -> z, the metric embedding the loss compares, and
// the prediction head q(z) -> p of BYOL and SimSiam.

#include "common/Error.h"
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
    return pairedStage(node, context, head, "representation", "embedding", dim);
}

// The predictor is an MLP of the same form as the projection head, with p as wide as z so that
// the loss can compare p with the target z of the other view.
std::unique_ptr<Stage> buildPrediction(const Node& node, const BuildContext& context) {
    const PipelineGraph& g = context.graph;
    const std::int64_t dim = context.inputDim("embedding");
    if (dim < 1) {
        throw ProjectError("node '" + node.id +
                           "': the prediction head needs the width of its 'embedding' input; "
                           "connect it to a projection head or an encoder");
    }
    models::ProjectionHead predictor(models::ProjectionHeadOptions(dim)
                                         .hidden_dim(g.integer(node, "hidden_dim"))
                                         .out_dim(dim)
                                         .layers(2)
                                         .batch_norm(g.boolean(node, "batch_norm")));
    return std::make_unique<PairedModuleStage<models::ProjectionHead>>(
        predictor, "embedding", "prediction", dim, Batching::Separate);
}

}  // namespace

void registerHeadNodes(NodeCatalogue& catalogue) {
    catalogue.add({
        "head.mlp_projection",
        Family::Head,
        "MLP projection head",
        "Projects the representation v to the metric embedding z on which the loss is computed "
        "(SimCLR): `layers` linear layers with batch norm and ReLU between them (1 = a linear "
        "projection). Keeping the loss off v lets v keep information the loss would discard. "
        "With key_update = momentum the key side is an EMA copy of the head, as behind a "
        "momentum encoder in MoCo and BYOL.",
        "§III-D1, §III-C2",
        {{"representation", PortType::Representation, "representation v"}},
        {{"embedding", PortType::Embedding, "metric embedding z"}},
        withKeyUpdate(
            {intParam("hidden_dim", 256, 1, 8192, "", "width of the hidden layers"),
             intParam("out_dim", 128, 1, 8192, "", "dimension of z"),
             intParam("layers", 2, 1, 4, "", "number of linear layers; 1 is a linear projection"),
             boolParam("batch_norm", true, "batch norm after each hidden layer")}),
        &buildMlpProjection,
    });
    catalogue.add({
        "head.prediction",
        Family::Head,
        "Prediction head (BYOL/SimSiam)",
        "Prediction head of BYOL (Grill et al. 2020) and SimSiam (Chen and He 2021): an MLP "
        "z -> hidden (batch norm, ReLU) -> p, with p as wide as z, applied to the query and the "
        "key embedding, each side as its own batch. Connect its 'prediction' output to the "
        "'prediction' input of the negative-cosine loss and the head's own input z to that "
        "loss's 'target': the loss makes p of one view regress the stop-gradient z of the other. "
        "The asymmetry between the predicted and the target branch is what keeps these "
        "negative-free methods from collapsing.",
        "§III-D1, §IV-B",
        {{"embedding", PortType::Embedding, "metric embedding z of the query and key views"}},
        {{"prediction", PortType::Embedding, "prediction p of each view, as wide as z"}},
        {intParam("hidden_dim", 512, 1, 8192, "",
                  "width of the hidden layer (SimSiam uses a bottleneck a quarter of z's width, "
                  "BYOL a wider layer)"),
         boolParam("batch_norm", true, "batch norm after the hidden layer")},
        &buildPrediction,
    });
}

}  // namespace crl::graph::nodes
