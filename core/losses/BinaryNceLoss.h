#pragma once
// Binary noise-contrastive estimation (Gutmann & Hyvärinen 2010), survey §III-E3, Eq. (8): each
// (query, key) pair is classified as drawn from the positive distribution or from noise, with
// p(D = 1 | q, k) = σ(s(q, k) / τ). Query i's positive is key i, the other keys of the batch are
// its noise samples:
//
//   L = −mean_i log σ(s_ii / τ) − mean_{i≠j} log(1 − σ(s_ij / τ))
//
// A batch of one has no negative; the second term is then 0 and a warning is logged.

#include <ATen/Tensor.h>

#include "losses/ScoringFunction.h"

namespace crl::losses {

struct BinaryNceLossOptions {
    double temperature = 0.1;
    Score score = makeScore(ScoringFunction::Cosine);
};

/// queries: (N, d), keys: (N, d_k), key i the positive of query i -> scalar loss. Throws UserError
/// for τ ≤ 0 or a shape mismatch.
at::Tensor binaryNceLoss(const at::Tensor& queries, const at::Tensor& keys,
                         const BinaryNceLossOptions& options = {});

}  // namespace crl::losses
