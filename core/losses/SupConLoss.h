#pragma once
// Supervised contrastive loss, L^sup_out of Khosla et al. 2020, survey §III-B/E3: labels define
// the positives. For anchor i of a batch of N embeddings with positives P(i) (same label, not i)
// and A(i) all samples but i:
//
//   ℓ(i) = −1/|P(i)| Σ_{p∈P(i)} log  exp(s(z_i, z_p) / τ) / Σ_{a∈A(i)} exp(s(z_i, z_a) / τ)
//
// with the cosine score by default. The loss is the mean of ℓ over anchors that have a positive;
// anchors without one are left out with a warning, and a batch without any gives 0. Two views of
// N samples with labels [y, y] give the paper's setting; labels [0..N−1, 0..N−1] give NT-Xent.

#include <ATen/Tensor.h>

#include "losses/ScoringFunction.h"

namespace crl::losses {

struct SupConLossOptions {
    double temperature = 0.1;
    Score score = makeScore(ScoringFunction::Cosine);
};

/// embeddings: (N, d), labels: (N,) integer -> scalar loss. Throws UserError for τ ≤ 0 or bad
/// shapes.
at::Tensor supConLoss(const at::Tensor& embeddings, const at::Tensor& labels,
                      const SupConLossOptions& options = {});

}  // namespace crl::losses
