#include "losses/SupConLoss.h"

#include <limits>

#include <ATen/ATen.h>

#include "common/Log.h"
#include "losses/LossChecks.h"
#include "losses/miners/TripletMiner.h"

namespace crl::losses {

at::Tensor supConLoss(const at::Tensor& embeddings, const at::Tensor& labels,
                      const SupConLossOptions& options) {
    requirePositive("SupCon temperature", options.temperature, "0.05-0.2");
    requireEmbeddings("SupCon", "embeddings", embeddings, 1);
    requireLabels("SupCon", embeddings, labels);
    const LabelMasks masks = labelMasks(labels);
    at::Tensor counts = masks.positives.sum(1);
    at::Tensor anchors = (counts > 0).nonzero().select(1, 0);
    if (anchors.size(0) == 0) {
        logWarning("SupCon: no sample shares its label with another; the loss is 0");
        return zeroLoss(embeddings);
    }
    if (anchors.size(0) < embeddings.size(0)) {
        logWarning("SupCon: " + std::to_string(embeddings.size(0) - anchors.size(0)) +
                   " anchors have no positive and are left out");
    }

    // logProbabilities: (N, N), the softmax over all samples but the anchor itself
    at::Tensor z = toComputeType(embeddings);
    at::Tensor logits = options.score(z, z) / options.temperature;
    at::Tensor self = at::eye(z.size(0), masks.positives.options());
    at::Tensor logProbabilities =
        logits - logits.masked_fill(self, -std::numeric_limits<double>::infinity())
                     .logsumexp(1, /*keepdim=*/true);

    // Mean over each anchor's positives; the mask keeps −inf and self terms out.
    at::Tensor positiveSum =
        at::where(masks.positives, logProbabilities, at::zeros_like(logProbabilities)).sum(1);
    at::Tensor perAnchor = -positiveSum.index_select(0, anchors) /
                           counts.index_select(0, anchors).to(positiveSum.scalar_type());
    return perAnchor.mean().to(embeddings.scalar_type());
}

}  // namespace crl::losses
