#pragma once
// Cosine scoring function (survey §III-E1): s(q, k) = q·k / (‖q‖ ‖k‖), the similarity of two
// metric embeddings independent of their norms. Zero vectors score 0 rather than NaN.

#include <ATen/Tensor.h>

namespace crl::losses {

/// Rows scaled to unit ℓ2 norm; rows with norm below 1e-12 stay zero.
at::Tensor l2Normalize(const at::Tensor& x);

/// queries: (Nq, d), keys: (Nk, d) -> scores: (Nq, Nk)
at::Tensor cosineScores(const at::Tensor& queries, const at::Tensor& keys);

}  // namespace crl::losses
