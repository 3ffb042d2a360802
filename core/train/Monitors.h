#pragma once
// Monitors of the metric embedding during training (Wang & Isola 2020, "Understanding
// contrastive representation learning through alignment and uniformity on the hypersphere"),
// computed on ℓ2-normalised embeddings:
//   alignment  = E ‖f(x) − f(y)‖^α over positive pairs, α = 2; 0 when the pairs coincide
//   uniformity = log E exp(−t ‖f(x) − f(y)‖²) over distinct pairs, t = 2; 0 for a collapsed
//                batch, more negative the more uniformly z spreads over the sphere
//   collapse   = mean over dimensions of the std of normalised z; 0 when collapsed,
//                about 1/√d when the embeddings are spread isotropically.

#include <ATen/Tensor.h>

namespace crl::train {

/// zQuery, zKey: (N, d) embeddings of positive pairs (normalised inside).
double alignment(const at::Tensor& zQuery, const at::Tensor& zKey, double alpha = 2.0);

/// z: (N, d), N ≥ 2 (normalised inside).
double uniformity(const at::Tensor& z, double t = 2.0);

/// z: (N, d), N ≥ 2 (normalised inside).
double collapseIndicator(const at::Tensor& z);

}  // namespace crl::train
