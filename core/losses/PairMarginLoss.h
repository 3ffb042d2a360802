#pragma once
// The pair loss of Hadsell, Chopra & LeCun 2006 ("contrastive loss"), the energy-based margin loss
// of survey §III-E2. Over every pair (i, j), i ≠ j, of a labelled batch with Euclidean distance
// D_ij = ‖z_i − z_j‖₂, pairs with equal labels are pulled together and others pushed out to the
// margin m:
//
//   ℓ(i, j) = D_ij²                 if y_i = y_j
//   ℓ(i, j) = max(0, m − D_ij)²     otherwise
//
// as in the paper (the survey's Eq. (2) writes the hinge on D²). The loss is ½ times the mean of
// ℓ over all N(N − 1) ordered pairs. Two views of N samples are a batch of 2N with labels
// [0..N−1, 0..N−1]. A batch of one has no pair and gives 0 with a warning.

#include <ATen/Tensor.h>

namespace crl::losses {

struct PairMarginLossOptions {
    /// Radius m within which negatives are pushed away, in distance units.
    double margin = 1.0;
};

/// embeddings: (N, d), labels: (N,) integer -> scalar loss. Throws UserError for m < 0 or bad
/// shapes.
at::Tensor pairMarginLoss(const at::Tensor& embeddings, const at::Tensor& labels,
                          const PairMarginLossOptions& options = {});

}  // namespace crl::losses
