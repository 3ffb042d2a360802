#pragma once
// The triplet loss with margin (survey §III-E2, Eq. (3); Schroff et al. 2015, Weinberger & Saul
// 2009), written for any scoring function s so that a distance is D = −s:
//
//   ℓ(a, p, n) = max(0, s(z_a, z_n) − s(z_a, z_p) + m)
//
// over the triplets a miner picks from a labelled batch (all, batch-hard or semi-hard). With the
// default negative L2 score this is max(0, D_ap − D_an + m). The loss is the mean of ℓ over the
// mined triplets; a batch with no valid triplet (one label only, or a single sample) gives 0 with a
// warning.

#include <memory>

#include <ATen/Tensor.h>

#include "losses/ScoringFunction.h"
#include "losses/miners/TripletMiner.h"

namespace crl::losses {

struct TripletMarginLossOptions {
    /// Margin m by which a negative must score below the positive.
    double margin = 0.2;
    Score score = makeScore(ScoringFunction::NegativeL2);
    /// Null means all triplets.
    std::shared_ptr<const TripletMiner> miner;
};

/// embeddings: (N, d), labels: (N,) integer -> scalar loss. Throws UserError for m < 0 or bad
/// shapes.
at::Tensor tripletMarginLoss(const at::Tensor& embeddings, const at::Tensor& labels,
                             const TripletMarginLossOptions& options = {});

}  // namespace crl::losses
