#include "losses/VicRegLoss.h"

#include <algorithm>

#include <ATen/ATen.h>

#include "common/Log.h"
#include "losses/LossChecks.h"

namespace crl::losses {

namespace {

struct Regularisers {
    at::Tensor variance;
    at::Tensor covariance;
};

Regularisers regularisers(const at::Tensor& z) {
    const auto n = static_cast<double>(std::max<std::int64_t>(z.size(0) - 1, 1));
    const auto d = static_cast<double>(z.size(1));
    at::Tensor centred = z - z.mean(0, /*keepdim=*/true);

    // cov: (D, D)
    at::Tensor cov = at::matmul(centred.t(), centred) / n;
    at::Tensor std = (cov.diagonal() + 1e-4).sqrt();
    at::Tensor variance = (1.0 - std).clamp_min(0.0).mean();
    at::Tensor covariance = (cov.pow(2).sum() - cov.diagonal().pow(2).sum()) / d;
    return {variance, covariance};
}

}  // namespace

at::Tensor vicRegLoss(const at::Tensor& z1, const at::Tensor& z2,
                      const VicRegLossOptions& options) {
    requireNonNegative("VICReg invariance weight", options.invarianceWeight, "1-50 (25 default)");
    requireNonNegative("VICReg variance weight", options.varianceWeight, "1-50 (25 default)");
    requireNonNegative("VICReg covariance weight", options.covarianceWeight, "0.1-10 (1 default)");
    requireSameShape("VICReg", z1, z2);
    requireEmbeddings("VICReg", "embeddings", z1, 1);
    if (z1.size(0) < 2) {
        logWarning("VICReg: a batch of one has no variance; only invariance is meaningful");
    }

    at::Tensor a = toComputeType(z1);
    at::Tensor b = toComputeType(z2);
    at::Tensor invariance = (a - b).pow(2).mean();
    const Regularisers ra = regularisers(a);
    const Regularisers rb = regularisers(b);

    at::Tensor loss = options.invarianceWeight * invariance +
                      options.varianceWeight * 0.5 * (ra.variance + rb.variance) +
                      options.covarianceWeight * (ra.covariance + rb.covariance);
    return loss.to(z1.scalar_type());
}

}  // namespace crl::losses
