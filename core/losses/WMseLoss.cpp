#include "losses/WMseLoss.h"

#include <algorithm>
#include <tuple>

#include <ATen/ATen.h>

#include "common/Error.h"
#include "common/Log.h"
#include "losses/CosineScore.h"
#include "losses/LossChecks.h"

namespace crl::losses {

namespace {

// Enough to make a zero covariance invertible while leaving a well-conditioned one nearly intact.
constexpr double kFallbackShrinkage = 0.01;

}  // namespace

at::Tensor whiten(const at::Tensor& z, double shrinkage) {
    const std::int64_t n = z.size(0);
    const std::int64_t d = z.size(1);
    at::Tensor centred = z - z.mean(0, /*keepdim=*/true);

    // covariance: (D, D)
    at::Tensor covariance = at::matmul(centred.t(), centred) / static_cast<double>(n - 1);
    at::Tensor identity = at::eye(d, covariance.options());

    // With N ≤ D the covariance has rank < D; round-off may still let Cholesky pass, so check both.
    auto [factor, info] =
        at::linalg_cholesky_ex((1.0 - shrinkage) * covariance + shrinkage * identity);
    if ((n <= d && shrinkage == 0.0) || info.item<std::int64_t>() != 0) {
        const double fallback = std::max(shrinkage, kFallbackShrinkage);
        logWarning("W-MSE whitening: the covariance of " + std::to_string(n) +
                   " embeddings of width " + std::to_string(d) +
                   " is singular; this batch uses "
                   "shrinkage " +
                   formatValue(fallback) +
                   ". Use a batch larger than the width or set a shrinkage.");
        std::tie(factor, info) =
            at::linalg_cholesky_ex((1.0 - fallback) * covariance + fallback * identity);
        if (info.item<std::int64_t>() != 0) {
            throw UserError(
                "W-MSE whitening failed even with shrinkage; the embeddings contain "
                "non-finite values");
        }
    }

    // whitened = centred L⁻ᵀ, solved rather than inverted: (N, D)
    at::Tensor whitened = at::linalg_solve_triangular(factor, centred.t(), /*upper=*/false);
    return whitened.t();
}

at::Tensor wMseLoss(const at::Tensor& z1, const at::Tensor& z2, const WMseLossOptions& options) {
    if (!(options.shrinkage >= 0.0 && options.shrinkage < 1.0)) {
        throw UserError("W-MSE shrinkage must be in [0, 1) (got " + formatValue(options.shrinkage) +
                        "); 0 (none) or 0.01-0.1 are usual values");
    }
    requireSameShape("W-MSE", z1, z2);
    requireEmbeddings("W-MSE", "embeddings", z1, 1);
    if (z1.size(0) < 2) {
        logWarning("W-MSE: a batch of one whitens to zero; the loss is 0");
        return zeroLoss(z1) + zeroLoss(z2);
    }

    at::Tensor w1 = l2Normalize(whiten(toComputeType(z1), options.shrinkage));
    at::Tensor w2 = l2Normalize(whiten(toComputeType(z2), options.shrinkage));
    at::Tensor loss = (w1 - w2).pow(2).sum(1).mean();
    return loss.to(z1.scalar_type());
}

}  // namespace crl::losses
