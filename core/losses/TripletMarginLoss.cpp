#include "losses/TripletMarginLoss.h"

#include <ATen/ATen.h>

#include "common/Log.h"
#include "losses/LossChecks.h"
#include "losses/miners/AllTripletsMiner.h"

namespace crl::losses {

at::Tensor tripletMarginLoss(const at::Tensor& embeddings, const at::Tensor& labels,
                             const TripletMarginLossOptions& options) {
    requireNonNegative("triplet loss margin", options.margin, "0.05-1 (in score units)");
    requireEmbeddings("triplet loss", "embeddings", embeddings, 1);
    requireLabels("triplet loss", embeddings, labels);

    // scores: (N, N)
    at::Tensor z = toComputeType(embeddings);
    at::Tensor scores = options.score(z, z);

    const AllTripletsMiner allTriplets;
    const TripletMiner& miner = options.miner ? *options.miner : allTriplets;
    const Triplets triplets = miner.mine(scores, labels);
    if (triplets.size() == 0) {
        logWarning(
            "triplet loss: the batch has no valid triplet (it needs two samples of one label "
            "and one of another); the loss is 0");
        return zeroLoss(embeddings);
    }

    at::Tensor positive = scores.index({triplets.anchors, triplets.positives});
    at::Tensor negative = scores.index({triplets.anchors, triplets.negatives});
    at::Tensor loss = (negative - positive + options.margin).clamp_min(0.0).mean();
    return loss.to(embeddings.scalar_type());
}

}  // namespace crl::losses
