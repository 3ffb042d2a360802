#pragma once
// Lifted structured embedding loss (Oh Song, Xiang, Jegelka & Savarese 2016), the margin loss of
// survey §III-E2 that lets each positive pair see every negative of the batch. Written for any
// scoring function s with distance D = −s; for each positive pair (i, j), i < j, with negatives
// N(i) of i:
//
//   J_ij = log( Σ_{k∈N(i)} exp(α + s_ik) + Σ_{l∈N(j)} exp(α + s_jl) ) − s_ij
//   L    = 1/(2|P|) Σ_{(i,j)∈P} max(0, J_ij)²
//
// the paper's smooth upper bound, with P the unordered positive pairs. A batch without a positive
// pair or without a negative gives 0 with a warning.

#include <ATen/Tensor.h>

#include "losses/ScoringFunction.h"

namespace crl::losses {

struct LiftedStructureLossOptions {
    /// Margin α, in score units.
    double margin = 1.0;
    Score score = makeScore(ScoringFunction::NegativeL2);
};

/// embeddings: (N, d), labels: (N,) integer -> scalar loss. Throws UserError for α < 0.
at::Tensor liftedStructureLoss(const at::Tensor& embeddings, const at::Tensor& labels,
                               const LiftedStructureLossOptions& options = {});

}  // namespace crl::losses
