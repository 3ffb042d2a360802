#pragma once
// Dot-product scoring function (survey §III-E1): s(q, k) = qᵀk. Unbounded and dependent on the
// norms of both vectors; the N-pair loss (Sohn 2016) uses it.

#include <ATen/Tensor.h>

namespace crl::losses {

/// queries: (Nq, d), keys: (Nk, d) -> scores: (Nq, Nk). Throws UserError on a width mismatch.
at::Tensor dotScores(const at::Tensor& queries, const at::Tensor& keys);

}  // namespace crl::losses
