#pragma once
// Negative cosine similarity of BYOL (Grill et al. 2020) and SimSiam (Chen & He 2021), the
// negative-free loss of survey §III-E: the prediction p of one view regresses the target
// embedding z of the other, whose gradient is stopped,
//
//   D(p, z) = −mean_i cos(p_i, stopgrad(z_i))
//
// and the symmetrised form ½ D(p₁, z₂) + ½ D(p₂, z₁) that both papers train with. Without the
// stop-gradient (stopGradient = false) SimSiam collapses; the option exists to show it. Zero
// vectors score 0 rather than NaN.

#include <ATen/Tensor.h>

namespace crl::losses {

struct NegativeCosineLossOptions {
    /// Treat z as a constant target.
    bool stopGradient = true;
};

/// predictions, targets: (N, d) -> scalar in [−1, 1]. Throws UserError on a shape mismatch.
at::Tensor negativeCosineLoss(const at::Tensor& predictions, const at::Tensor& targets,
                              const NegativeCosineLossOptions& options = {});

/// ½ D(p₁, z₂) + ½ D(p₂, z₁) for the two views' predictions p and target embeddings z.
at::Tensor symmetricNegativeCosineLoss(const at::Tensor& predictions1, const at::Tensor& targets1,
                                       const at::Tensor& predictions2, const at::Tensor& targets2,
                                       const NegativeCosineLossOptions& options = {});

}  // namespace crl::losses
