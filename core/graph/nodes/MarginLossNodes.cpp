// Energy-based margin loss nodes (survey §III-E2): the pair loss, the triplet loss with its
// miners and the lifted structured loss. All three work on the 2N views of a batch as one labelled
// set: with the data set's labels connected, views of one class are positives; without them, the
// other view of the same image is the only positive (instance discrimination).

#include <ATen/ATen.h>

#include "graph/nodes/LossStage.h"
#include "graph/nodes/NodeFamilies.h"
#include "graph/nodes/ParamSpecs.h"
#include "losses/CosineScore.h"
#include "losses/LiftedStructureLoss.h"
#include "losses/PairMarginLoss.h"
#include "losses/TripletMarginLoss.h"
#include "losses/miners/AllTripletsMiner.h"
#include "losses/miners/BatchHardMiner.h"
#include "losses/miners/SemiHardMiner.h"

namespace crl::graph::nodes {
namespace {

ParamSpec normalizeParam(bool value) {
    return boolParam("normalize", value,
                     "l2-normalise z before scoring, so distances live on the unit sphere and the "
                     "margin has a fixed scale");
}

/// The 2N views as one batch, normalised when the node asks for it.
at::Tensor marginEmbeddings(const PortValue& z, bool normalize) {
    at::Tensor all = stackedViews(z);
    return normalize ? losses::l2Normalize(all) : all;
}

std::shared_ptr<const losses::TripletMiner> makeMiner(const std::string& name) {
    if (name == "batch_hard") {
        return std::make_shared<losses::BatchHardMiner>();
    }
    if (name == "semi_hard") {
        return std::make_shared<losses::SemiHardMiner>();
    }
    return std::make_shared<losses::AllTripletsMiner>();
}

std::unique_ptr<Stage> buildPairMargin(const Node& node, const BuildContext& context) {
    const losses::PairMarginLossOptions options{context.graph.real(node, "margin")};
    const bool normalize = context.graph.boolean(node, "normalize");
    return std::make_unique<LossStage>([options, normalize](const PortValues& inputs) {
        const PortValue& z = inputs.at("embedding");
        return losses::pairMarginLoss(marginEmbeddings(z, normalize), stackedLabels(inputs, z),
                                      options);
    });
}

std::unique_ptr<Stage> buildTripletMargin(const Node& node, const BuildContext& context) {
    ScoreChoice score = buildScore(node, context);
    const losses::TripletMarginLossOptions options{context.graph.real(node, "margin"), score.score,
                                                   makeMiner(context.graph.text(node, "miner"))};
    const bool normalize = context.graph.boolean(node, "normalize");
    return std::make_unique<LossStage>(
        [options, normalize](const PortValues& inputs) {
            const PortValue& z = inputs.at("embedding");
            return losses::tripletMarginLoss(marginEmbeddings(z, normalize),
                                             stackedLabels(inputs, z), options);
        },
        score.module);
}

std::unique_ptr<Stage> buildLiftedStructure(const Node& node, const BuildContext& context) {
    ScoreChoice score = buildScore(node, context);
    const losses::LiftedStructureLossOptions options{context.graph.real(node, "margin"),
                                                     score.score};
    const bool normalize = context.graph.boolean(node, "normalize");
    return std::make_unique<LossStage>(
        [options, normalize](const PortValues& inputs) {
            const PortValue& z = inputs.at("embedding");
            return losses::liftedStructureLoss(marginEmbeddings(z, normalize),
                                               stackedLabels(inputs, z), options);
        },
        score.module);
}

}  // namespace

void registerMarginLossNodes(NodeCatalogue& catalogue) {
    catalogue.add({
        "loss.pair_margin",
        Family::Loss,
        "Pair loss (margin)",
        "The pair loss of Hadsell, Chopra and LeCun (2006), the original \"contrastive loss\": "
        "over every pair of the 2N views, positives are pulled together by their squared "
        "Euclidean distance and negatives closer than the margin m are pushed out to it by "
        "max(0, m - D)^2. Positives are views of one class when labels are connected, otherwise "
        "the two views of one image. The score is fixed: the Euclidean distance.",
        "§III-E2",
        {embeddingInput(), labelsInput(true)},
        {lossOutput()},
        {realParam("margin", 1.0, 0.0, 100.0, "distance",
                   "radius m inside which negatives are pushed away"),
         normalizeParam(false)},
        &buildPairMargin,
    });
    catalogue.add({
        "loss.triplet_margin",
        Family::Loss,
        "Triplet loss (margin)",
        "The triplet loss (Weinberger and Saul 2009; FaceNet, Schroff et al. 2015): for each "
        "mined (anchor, positive, negative) triplet of the 2N views, the negative must score at "
        "least the margin below the positive, max(0, s(a, n) - s(a, p) + m). The miner picks "
        "the triplets: all of them, the hardest positive and negative per anchor (batch-hard), "
        "or for each positive the closest negative that is still farther (semi-hard, FaceNet). "
        "Positives are views of one class when labels are connected, otherwise the other view "
        "of the same image.",
        "§III-E2",
        {embeddingInput(), labelsInput(true)},
        {lossOutput()},
        {realParam("margin", 0.2, 0.0, 100.0, "score", "margin m between positive and negative"),
         choiceParam("miner", "semi_hard", {"all", "batch_hard", "semi_hard"},
                     "which triplets of the batch the loss sees"),
         scoreParam("negative_l2", "scoring function of §III-E1; distances are -score"),
         normalizeParam(true)},
        &buildTripletMargin,
    });
    catalogue.add({
        "loss.lifted_structure",
        Family::Loss,
        "Lifted structure",
        "Lifted structured embedding loss (Oh Song et al. 2016): every positive pair of the "
        "batch is compared with all negatives of both its members at once through a smooth "
        "maximum (log-sum-exp of margin + score), so a step sees far more negatives than a "
        "triplet does. Positives are views of one class when labels are connected, otherwise "
        "the two views of one image.",
        "§III-E2",
        {embeddingInput(), labelsInput(true)},
        {lossOutput()},
        {realParam("margin", 1.0, 0.0, 100.0, "score", "margin alpha added to negative scores"),
         scoreParam("negative_l2", "scoring function of §III-E1; distances are -score"),
         normalizeParam(true)},
        &buildLiftedStructure,
    });
}

}  // namespace crl::graph::nodes
