#pragma once
// Semi-hard mining (Schroff, Kalenichenko & Philbin 2015, FaceNet): for every (anchor, positive)
// pair, the negative that scores highest among those scoring below the positive — the closest
// negative that is still farther than the positive, which the margin then pushes away. Pairs
// without such a negative give no triplet, so the loss never sees the collapsing hardest ones.

#include "losses/miners/TripletMiner.h"

namespace crl::losses {

class SemiHardMiner : public TripletMiner {
public:
    /// At most one triplet per positive pair, in (anchor, positive) order.
    Triplets mine(const at::Tensor& scores, const at::Tensor& labels) const override;
};

}  // namespace crl::losses
