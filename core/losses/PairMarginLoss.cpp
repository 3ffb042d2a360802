#include "losses/PairMarginLoss.h"

#include <ATen/ATen.h>

#include "common/Log.h"
#include "losses/LossChecks.h"
#include "losses/NegativeL2Score.h"
#include "losses/miners/TripletMiner.h"

namespace crl::losses {

at::Tensor pairMarginLoss(const at::Tensor& embeddings, const at::Tensor& labels,
                          const PairMarginLossOptions& options) {
    requireNonNegative("pair loss margin", options.margin, "0.5-2 (in distance units)");
    requireEmbeddings("pair loss", "embeddings", embeddings, 1);
    requireLabels("pair loss", embeddings, labels);
    const std::int64_t n = embeddings.size(0);
    if (n < 2) {
        logWarning("pair loss: a batch of one sample has no pair; the loss is 0");
        return zeroLoss(embeddings);
    }

    // distances: (N, N)
    at::Tensor z = toComputeType(embeddings);
    at::Tensor distances = l2Distances(z, z);
    const LabelMasks masks = labelMasks(labels);

    at::Tensor pulled = distances.pow(2) * masks.positives;
    at::Tensor pushed = (options.margin - distances).clamp_min(0.0).pow(2) * masks.negatives;
    at::Tensor loss = 0.5 * (pulled + pushed).sum() / static_cast<double>(n * (n - 1));
    return loss.to(embeddings.scalar_type());
}

}  // namespace crl::losses
