#pragma once
// Sinkhorn–Knopp equipartition of SwAV (Caron et al. 2020; Cuturi 2013), the online code
// assignment of survey §III-D/E: given scores of B samples against K prototypes, the codes
// Q = diag(u) exp(S / ε) diag(v) are scaled alternately so that every prototype receives B/K
// samples' worth of mass and every sample's codes sum to 1. No gradient flows through Q.

#include <cstdint>

#include <ATen/Tensor.h>

namespace crl::losses {

/// scores: (B, K) -> codes: (B, K), rows summing to 1, columns to B/K after the final scaling.
/// ε (0.02-0.1 usual) and iterations (3 usual) must be > 0; throws UserError otherwise.
at::Tensor sinkhornKnopp(const at::Tensor& scores, double epsilon = 0.05,
                         std::int64_t iterations = 3);

}  // namespace crl::losses
