#pragma once
// InfoNCE (Oord, Li & Vinyals 2018), survey §III-E3/E4, Eq. (10)-(11), in one direction: query i
// is classified against its positive key i, the other keys of the batch (in-batch negatives) and
// optional extra negative keys such as a MoCo queue:
//
//   ℓ(i) = −log  exp(s(q_i, k_i) / τ) / ( Σ_j exp(s(q_i, k_j) / τ) + Σ_m exp(s(q_i, n_m) / τ) )
//
// The loss is the mean of ℓ. NT-Xent (NtXentLoss) is the symmetric 2N-view form with the cosine
// score. A lone query without extra negatives has only its positive: ℓ = 0 and a warning.

#include <ATen/Tensor.h>

#include "losses/ScoringFunction.h"

namespace crl::losses {

struct InfoNceLossOptions {
    double temperature = 0.07;
    Score score = makeScore(ScoringFunction::Cosine);
};

/// queries: (N, d), keys: (N, d_k), key i the positive of query i; negatives: (M, d_k) or
/// undefined -> scalar loss. Throws UserError for τ ≤ 0 or mismatched shapes.
at::Tensor infoNceLoss(const at::Tensor& queries, const at::Tensor& keys,
                       const at::Tensor& negatives = {}, const InfoNceLossOptions& options = {});

}  // namespace crl::losses
