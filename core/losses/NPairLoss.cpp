#include "losses/NPairLoss.h"

#include <ATen/ATen.h>

#include "common/Log.h"
#include "losses/LossChecks.h"

namespace crl::losses {

at::Tensor nPairLoss(const at::Tensor& anchors, const at::Tensor& positives,
                     const NPairLossOptions& options) {
    requireNonNegative("N-pair L2 regularisation", options.l2Regularisation, "0-0.01");
    requireSameShape("N-pair loss", anchors, positives);
    requireEmbeddings("N-pair loss", "anchors", anchors, 1);
    if (anchors.size(0) < 2) {
        logWarning("N-pair loss: a single pair has no negative; the contrastive term is 0");
    }

    // logits: (N, N); the positive of anchor i is column i
    at::Tensor f = toComputeType(anchors);
    at::Tensor fPositive = toComputeType(positives);
    at::Tensor logits = options.score(f, fPositive);
    at::Tensor targets = at::arange(f.size(0), logits.options().dtype(at::kLong));
    at::Tensor loss = at::cross_entropy_loss(logits, targets);

    if (options.l2Regularisation > 0.0) {
        at::Tensor squaredNorms = f.pow(2).sum(1) + fPositive.pow(2).sum(1);
        loss = loss + options.l2Regularisation * squaredNorms.mean();
    }
    return loss.to(anchors.scalar_type());
}

}  // namespace crl::losses
