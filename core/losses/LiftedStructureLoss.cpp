#include "losses/LiftedStructureLoss.h"

#include <limits>

#include <ATen/ATen.h>

#include "common/Log.h"
#include "losses/LossChecks.h"
#include "losses/miners/TripletMiner.h"

namespace crl::losses {

at::Tensor liftedStructureLoss(const at::Tensor& embeddings, const at::Tensor& labels,
                               const LiftedStructureLossOptions& options) {
    requireNonNegative("lifted structure margin", options.margin, "0.5-1 (in score units)");
    requireEmbeddings("lifted structure loss", "embeddings", embeddings, 1);
    requireLabels("lifted structure loss", embeddings, labels);
    const LabelMasks masks = labelMasks(labels);
    at::Tensor pairs = at::triu(masks.positives, /*diagonal=*/1).nonzero();
    if (pairs.size(0) == 0 || !masks.negatives.any().item<bool>()) {
        logWarning(
            "lifted structure loss: the batch needs a positive pair and a negative; the "
            "loss is 0");
        return zeroLoss(embeddings);
    }

    // scores: (N, N)
    at::Tensor z = toComputeType(embeddings);
    at::Tensor scores = options.score(z, z);

    // Every sample has a negative once the batch has two labels, so no row is all −inf.
    at::Tensor negativeTerms =
        (scores + options.margin)
            .masked_fill(~masks.negatives, -std::numeric_limits<double>::infinity())
            .logsumexp(1);

    // J: (|P|,)
    at::Tensor i = pairs.select(1, 0);
    at::Tensor j = pairs.select(1, 1);
    at::Tensor bound =
        at::logaddexp(negativeTerms.index_select(0, i), negativeTerms.index_select(0, j)) -
        scores.index({i, j});
    at::Tensor loss =
        bound.clamp_min(0.0).pow(2).sum() / (2.0 * static_cast<double>(pairs.size(0)));
    return loss.to(embeddings.scalar_type());
}

}  // namespace crl::losses
