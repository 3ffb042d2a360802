#pragma once
// Multi-class N-pair loss (Sohn 2016), survey §III-E3: N (anchor, positive) pairs from N distinct
// classes, each anchor's negatives being the other pairs' positives:
//
//   ℓ(i) = log(1 + Σ_{j≠i} exp(s(f_i, f_j⁺) − s(f_i, f_i⁺)))
//
// the softmax cross-entropy of Eq. (10) with the dot score of the paper (any score may be given).
// The loss is the mean of ℓ plus λ · mean_i(‖f_i‖² + ‖f_i⁺‖²), the paper's L2 regulariser of the
// embeddings. A single pair has no negative: ℓ = 0 and a warning.

#include <ATen/Tensor.h>

#include "losses/ScoringFunction.h"

namespace crl::losses {

struct NPairLossOptions {
    /// λ on the squared embedding norms; the paper regularises, 0 turns it off.
    double l2Regularisation = 0.0;
    Score score = makeScore(ScoringFunction::Dot);
};

/// anchors, positives: (N, d), row i of each from class i -> scalar loss. Throws UserError for
/// λ < 0 or a shape mismatch.
at::Tensor nPairLoss(const at::Tensor& anchors, const at::Tensor& positives,
                     const NPairLossOptions& options = {});

}  // namespace crl::losses
