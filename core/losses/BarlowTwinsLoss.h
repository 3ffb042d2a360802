#pragma once
// Barlow Twins (Zbontar et al. 2021), a negative-free peer of the survey's §III-E losses: each
// embedding dimension is standardised over the batch (biased variance, ε = 1e-5, as the paper's
// affine-free batch norm), C = z̃₁ᵀ z̃₂ / N is the (D, D) cross-correlation of the two views, and
//
//   L = Σ_i (1 − C_ii)² + λ Σ_{i≠j} C_ij²
//
// A batch of one standardises to zeros, C = 0 and L = D; a warning says so.

#include <ATen/Tensor.h>

namespace crl::losses {

struct BarlowTwinsLossOptions {
    /// λ on the off-diagonal (redundancy reduction) term.
    double offDiagonalWeight = 0.0051;
};

/// z1, z2: (N, D) embeddings of two views -> scalar loss. Throws UserError for λ < 0 or a shape
/// mismatch.
at::Tensor barlowTwinsLoss(const at::Tensor& z1, const at::Tensor& z2,
                           const BarlowTwinsLossOptions& options = {});

}  // namespace crl::losses
