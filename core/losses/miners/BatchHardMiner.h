#pragma once
// Batch-hard mining (Hermans, Beyer & Leibe 2017, "In Defense of the Triplet Loss"): one triplet
// per anchor, with its hardest positive (lowest score) and its hardest negative (highest score).
// Anchors without a positive or without a negative in the batch give no triplet.

#include "losses/miners/TripletMiner.h"

namespace crl::losses {

class BatchHardMiner : public TripletMiner {
public:
    /// At most N triplets, in anchor order; ties go to the lowest index.
    Triplets mine(const at::Tensor& scores, const at::Tensor& labels) const override;
};

}  // namespace crl::losses
