#include "losses/NegativeCosineLoss.h"

#include <ATen/ATen.h>

#include "losses/CosineScore.h"
#include "losses/LossChecks.h"

namespace crl::losses {

at::Tensor negativeCosineLoss(const at::Tensor& predictions, const at::Tensor& targets,
                              const NegativeCosineLossOptions& options) {
    requireSameShape("negative cosine loss", predictions, targets);
    requireEmbeddings("negative cosine loss", "predictions", predictions, 1);

    at::Tensor p = l2Normalize(toComputeType(predictions));
    at::Tensor z = l2Normalize(toComputeType(options.stopGradient ? targets.detach() : targets));
    return -(p * z.to(p.scalar_type())).sum(1).mean().to(predictions.scalar_type());
}

at::Tensor symmetricNegativeCosineLoss(const at::Tensor& predictions1, const at::Tensor& targets1,
                                       const at::Tensor& predictions2, const at::Tensor& targets2,
                                       const NegativeCosineLossOptions& options) {
    return 0.5 * negativeCosineLoss(predictions1, targets2, options) +
           0.5 * negativeCosineLoss(predictions2, targets1, options);
}

}  // namespace crl::losses
