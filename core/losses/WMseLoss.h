#pragma once
// W-MSE (Ermolov, Siarohin, Sangineto & Sebe 2021), a negative-free peer of the survey's §III-E
// losses: each view's batch of embeddings is whitened — centred, then multiplied by the inverse of
// the Cholesky factor L of its covariance Σ = LLᵀ, so that the whitened batch has covariance I —
// and the whitened, ℓ2-normalised views are pulled together by the MSE
//
//   L = mean_i ‖ŵ₁(i) − ŵ₂(i)‖²  (= 2 − 2 mean_i cos(w₁(i), w₂(i)) for non-zero rows)
//
// Σ is the unbiased batch covariance, shrunk as (1 − η) Σ + η I when η > 0. The whitening needs
// more samples than dimensions (N > D) unless η > 0; a singular covariance (N ≤ D, collapsed or
// zero embeddings) is whitened with η = 0.01 for that batch and a warning. A batch of one whitens
// to zeros and gives L = 0 with a warning.

#include <ATen/Tensor.h>

namespace crl::losses {

struct WMseLossOptions {
    /// Shrinkage η of the covariance towards I, in [0, 1).
    double shrinkage = 0.0;
};

/// The whitened batch: z: (N ≥ 2, D) -> (N, D) with identity covariance (of the shrunk Σ).
/// Falls back to η = 0.01 with a warning for a singular Σ; throws UserError for non-finite z.
at::Tensor whiten(const at::Tensor& z, double shrinkage = 0.0);

/// z1, z2: (N, D) -> scalar loss. Throws UserError for η outside [0, 1) or a shape mismatch.
at::Tensor wMseLoss(const at::Tensor& z1, const at::Tensor& z2,
                    const WMseLossOptions& options = {});

}  // namespace crl::losses
