#pragma once
// Negative Manhattan distance as a scoring function (survey §III-E1): s(q, k) = −‖q − k‖₁, so that
// a higher score still means more alike and margin losses read the distance as −s.

#include <ATen/Tensor.h>

namespace crl::losses {

/// queries: (Nq, d), keys: (Nk, d) -> scores: (Nq, Nk). The gradient at equal coordinates is 0.
at::Tensor negativeL1Scores(const at::Tensor& queries, const at::Tensor& keys);

}  // namespace crl::losses
