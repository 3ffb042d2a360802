#pragma once
// Keeps every valid triplet of the batch: each anchor with each of its positives and each of its
// negatives, O(N³) triplets. The baseline the survey's "mining" discussion starts from (§III-E2).

#include "losses/miners/TripletMiner.h"

namespace crl::losses {

class AllTripletsMiner : public TripletMiner {
public:
    /// Triplets in anchor, positive, negative index order.
    Triplets mine(const at::Tensor& scores, const at::Tensor& labels) const override;
};

}  // namespace crl::losses
