#pragma once
// VICReg (Bardes, Ponce & LeCun 2022), a negative-free peer of the survey's §III-E losses, as a
// weighted sum of three terms on two views' embeddings z₁, z₂ of shape (N, D):
//
//   invariance  s = mean ‖z₁ − z₂‖² over elements (MSE)
//   variance    v = ½ Σ_views mean_j max(0, 1 − √(Var(z^j) + 1e-4))   (unbiased variance)
//   covariance  c = Σ_views (1/D) Σ_{i≠j} Cov(z)_ij²                    (unbiased covariance)
//   L = λ s + μ v + ν c,  with λ = μ = 25, ν = 1 by default.
//
// A batch of one has no variance; N − 1 is then taken as 1 (variance and covariance 0, so v = 0.99)
// and a warning is logged.

#include <ATen/Tensor.h>

namespace crl::losses {

struct VicRegLossOptions {
    double invarianceWeight = 25.0;
    double varianceWeight = 25.0;
    double covarianceWeight = 1.0;
};

/// z1, z2: (N, D) -> scalar loss. Throws UserError for a negative weight or a shape mismatch.
at::Tensor vicRegLoss(const at::Tensor& z1, const at::Tensor& z2,
                      const VicRegLossOptions& options = {});

}  // namespace crl::losses
