#include "losses/SwavLoss.h"

#include <ATen/ATen.h>

#include "losses/LossChecks.h"
#include "losses/SinkhornKnopp.h"

namespace crl::losses {

at::Tensor swavLoss(const at::Tensor& scores1, const at::Tensor& scores2,
                    const SwavLossOptions& options) {
    requirePositive("SwAV temperature", options.temperature, "0.05-0.2");
    requireSameShape("SwAV", scores1, scores2);
    at::Tensor s1 = toComputeType(scores1);
    at::Tensor s2 = toComputeType(scores2);

    // codes: (B, K), constants
    at::Tensor q1 = sinkhornKnopp(s1, options.epsilon, options.sinkhornIterations);
    at::Tensor q2 = sinkhornKnopp(s2, options.epsilon, options.sinkhornIterations);

    at::Tensor logP1 = at::log_softmax(s1 / options.temperature, 1);
    at::Tensor logP2 = at::log_softmax(s2 / options.temperature, 1);
    at::Tensor loss = -0.5 * ((q2 * logP1).sum(1) + (q1 * logP2).sum(1)).mean();
    return loss.to(scores1.scalar_type());
}

}  // namespace crl::losses
