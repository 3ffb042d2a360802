#pragma once
// Negative Euclidean distance as a scoring function (survey §III-E1): s(q, k) = −‖q − k‖₂, the
// distance of the energy-based margin losses (§III-E2) read as a score. Coinciding vectors have
// distance exactly 0 and a zero gradient instead of the NaN of d√x/dx at 0.

#include <ATen/Tensor.h>

namespace crl::losses {

/// queries: (Nq, d), keys: (Nk, d) -> squared distances ‖q − k‖₂²: (Nq, Nk)
at::Tensor squaredL2Distances(const at::Tensor& queries, const at::Tensor& keys);

/// queries: (Nq, d), keys: (Nk, d) -> distances ‖q − k‖₂: (Nq, Nk), with gradient 0 at distance 0.
at::Tensor l2Distances(const at::Tensor& queries, const at::Tensor& keys);

/// queries: (Nq, d), keys: (Nk, d) -> scores −‖q − k‖₂: (Nq, Nk)
at::Tensor negativeL2Scores(const at::Tensor& queries, const at::Tensor& keys);

}  // namespace crl::losses
