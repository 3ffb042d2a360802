// Loss nodes that prevent collapse without explicit negative pairs (survey §III-E, §IV-B):
// negative cosine regression (BYOL/SimSiam), SwAV's swapped prediction, and the peers the survey
// predates, Barlow Twins, VICReg and W-MSE. None takes a scoring function: each fixes its own
// comparison of the two views.

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include "common/Error.h"
#include "graph/nodes/LossStage.h"
#include "graph/nodes/NodeFamilies.h"
#include "graph/nodes/ParamSpecs.h"
#include "losses/BarlowTwinsLoss.h"
#include "losses/CosineScore.h"
#include "losses/NegativeCosineLoss.h"
#include "losses/SwavLoss.h"
#include "losses/VicRegLoss.h"
#include "losses/WMseLoss.h"

namespace crl::graph::nodes {
namespace {

// SwAV's K prototype vectors (K, d), the quantisation head of §III-D3 that this node keeps inside
// itself until the catalogue has a separate prototype head. Prototypes and embeddings are compared
// by cosine, which the paper gets by renormalising the prototypes after every step.
class SwavPrototypes : public torch::nn::Module {
public:
    SwavPrototypes(std::int64_t count, std::int64_t dim) {
        weight = register_parameter("weight", losses::l2Normalize(at::randn({count, dim})));
    }

    /// z: (B, d) -> scores: (B, K) in [-1, 1]
    at::Tensor scores(const at::Tensor& z) const {
        return losses::cosineScores(z, weight.to(z.scalar_type()));
    }

    at::Tensor weight;
};

std::unique_ptr<Stage> buildNegativeCosine(const Node& node, const BuildContext& context) {
    const losses::NegativeCosineLossOptions options{context.graph.boolean(node, "stop_gradient")};
    const bool symmetric = context.graph.boolean(node, "symmetric");
    return std::make_unique<LossStage>(
        [options, symmetric, id = node.id](const PortValues& inputs) {
            const PortValue& p = viewPair(inputs, "prediction", id);
            const PortValue& z = viewPair(inputs, "target", id);
            if (!symmetric) {
                return losses::negativeCosineLoss(p.query, z.key, options);
            }
            return losses::symmetricNegativeCosineLoss(p.query, z.query, p.key, z.key, options);
        });
}

std::unique_ptr<Stage> buildSwav(const Node& node, const BuildContext& context) {
    const PipelineGraph& g = context.graph;
    const std::int64_t dim = context.inputDim("embedding");
    if (dim < 1) {
        throw ProjectError("node '" + node.id +
                           "': the prototypes need the width of the 'embedding' input; connect "
                           "it to a head or encoder");
    }
    auto prototypes = std::make_shared<SwavPrototypes>(g.integer(node, "prototypes"), dim);
    const losses::SwavLossOptions options{g.real(node, "temperature"), g.real(node, "epsilon"),
                                          g.integer(node, "sinkhorn_iterations")};
    return std::make_unique<LossStage>(
        [options, prototypes, id = node.id](const PortValues& inputs) {
            const PortValue& z = viewPair(inputs, "embedding", id);
            return losses::swavLoss(prototypes->scores(z.query), prototypes->scores(z.key),
                                    options);
        },
        prototypes);
}

std::unique_ptr<Stage> buildBarlowTwins(const Node& node, const BuildContext& context) {
    const losses::BarlowTwinsLossOptions options{context.graph.real(node, "lambda")};
    return std::make_unique<LossStage>([options, id = node.id](const PortValues& inputs) {
        const PortValue& z = viewPair(inputs, "embedding", id);
        return losses::barlowTwinsLoss(z.query, z.key, options);
    });
}

std::unique_ptr<Stage> buildVicReg(const Node& node, const BuildContext& context) {
    const PipelineGraph& g = context.graph;
    const losses::VicRegLossOptions options{g.real(node, "invariance"), g.real(node, "variance"),
                                            g.real(node, "covariance")};
    return std::make_unique<LossStage>([options, id = node.id](const PortValues& inputs) {
        const PortValue& z = viewPair(inputs, "embedding", id);
        return losses::vicRegLoss(z.query, z.key, options);
    });
}

std::unique_ptr<Stage> buildWMse(const Node& node, const BuildContext& context) {
    const losses::WMseLossOptions options{context.graph.real(node, "shrinkage")};
    return std::make_unique<LossStage>([options, id = node.id](const PortValues& inputs) {
        const PortValue& z = viewPair(inputs, "embedding", id);
        return losses::wMseLoss(z.query, z.key, options);
    });
}

}  // namespace

void registerNegativeFreeLossNodes(NodeCatalogue& catalogue) {
    catalogue.add({
        "loss.negative_cosine",
        Family::Loss,
        "Negative cosine (BYOL/SimSiam)",
        "Negative cosine similarity of BYOL (Grill et al. 2020) and SimSiam (Chen and He 2021): "
        "the prediction p of each view regresses the target embedding z of the other view, "
        "symmetrised, -(cos(p1, z2) + cos(p2, z1)) / 2. No negatives: collapse is avoided by the "
        "prediction head and the stop-gradient on the target, without which SimSiam collapses. "
        "With a shared encoder (SimSiam) keep it symmetric. Behind a momentum key branch (BYOL) "
        "the key side's z comes from the EMA copy, so only the query's prediction should be "
        "trained: turn symmetric off and each step uses the one direction -cos(p_query, "
        "z_key). Unlike BYOL, which also feeds each view through the other branch, the two "
        "directions are then balanced only on average, because which view is the query is "
        "random; a step costs half as much.",
        "§III-E, §IV-B",
        {{"prediction", PortType::Embedding, "predictions p of the query and key views"},
         {"target", PortType::Embedding, "target embeddings z of the query and key views"}},
        {lossOutput()},
        {boolParam("stop_gradient", true,
                   "treat the targets as constants; off only to show the collapse"),
         boolParam("symmetric", true,
                   "average both directions, p_query -> z_key and p_key -> z_query; off uses "
                   "p_query -> z_key only, as behind a momentum key branch")},
        &buildNegativeCosine,
    });
    catalogue.add({
        "loss.swav",
        Family::Loss,
        "SwAV swapped prediction",
        "Swapped prediction of SwAV (Caron et al. 2020): both views are scored against K learned "
        "prototypes (held by this node, compared by cosine); Sinkhorn-Knopp turns each view's "
        "scores into soft cluster codes that use every prototype equally, and each view predicts "
        "the other view's codes with a softmax at the temperature. The equal use of prototypes "
        "keeps the embeddings from collapsing without negative pairs.",
        "§III-D3, §III-E",
        {embeddingInput()},
        {lossOutput()},
        {intParam("prototypes", 100, 2, 65536, "", "number K of prototypes (clusters)"),
         realParam("temperature", 0.1, 0.001, 10.0, "", "temperature of the prediction softmax"),
         realParam("epsilon", 0.05, 0.001, 10.0, "",
                   "entropy weight of the Sinkhorn-Knopp codes; lower gives harder codes"),
         intParam("sinkhorn_iterations", 3, 1, 100, "", "Sinkhorn-Knopp normalisation rounds")},
        &buildSwav,
    });
    catalogue.add({
        "loss.barlow_twins",
        Family::Loss,
        "Barlow Twins",
        "Barlow Twins (Zbontar et al. 2021): standardises each embedding dimension over the "
        "batch and drives the cross-correlation matrix of the two views to the identity: "
        "diagonal terms to 1 (invariance), off-diagonal terms to 0 with weight lambda "
        "(redundancy reduction). No negatives; a negative-free peer that postdates the survey.",
        "§III-E",
        {embeddingInput()},
        {lossOutput()},
        {realParam("lambda", 0.0051, 0.0, 10.0, "",
                   "weight of the off-diagonal (redundancy) terms")},
        &buildBarlowTwins,
    });
    catalogue.add({
        "loss.vicreg",
        Family::Loss,
        "VICReg",
        "VICReg (Bardes, Ponce and LeCun 2022): the mean squared error between the two views "
        "(invariance), a hinge keeping every dimension's standard deviation above 1 "
        "(variance) and a penalty on the off-diagonal covariances (covariance), each weighted. "
        "No negatives; a negative-free peer that postdates the survey.",
        "§III-E",
        {embeddingInput()},
        {lossOutput()},
        {realParam("invariance", 25.0, 0.0, 1000.0, "", "weight of the invariance (MSE) term"),
         realParam("variance", 25.0, 0.0, 1000.0, "", "weight of the variance hinge"),
         realParam("covariance", 1.0, 0.0, 1000.0, "", "weight of the covariance penalty")},
        &buildVicReg,
    });
    catalogue.add({
        "loss.w_mse",
        Family::Loss,
        "W-MSE",
        "Whitening MSE (Ermolov et al. 2021): each view's batch of embeddings is whitened to "
        "identity covariance, then the normalised whitened views of each image are pulled "
        "together by their squared distance. Whitening spreads the batch, so no negatives are "
        "needed. The batch must be larger than the embedding width unless shrinkage is set.",
        "§III-E, §IV-B",
        {embeddingInput()},
        {lossOutput()},
        {realParam("shrinkage", 0.0, 0.0, 0.99, "",
                   "shrinks the batch covariance towards the identity before whitening")},
        &buildWMse,
    });
}

}  // namespace crl::graph::nodes
