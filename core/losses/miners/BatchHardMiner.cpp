#include "losses/miners/BatchHardMiner.h"

#include <limits>

#include <ATen/ATen.h>

namespace crl::losses {

Triplets BatchHardMiner::mine(const at::Tensor& scores, const at::Tensor& labels) const {
    const LabelMasks masks = labelMasks(labels);
    const double infinity = std::numeric_limits<double>::infinity();
    at::Tensor s = scores.detach();

    // The hardest positive scores lowest, the hardest negative highest: (N,) each.
    at::Tensor hardestPositive = s.masked_fill(~masks.positives, infinity).argmin(1);
    at::Tensor hardestNegative = s.masked_fill(~masks.negatives, -infinity).argmax(1);

    at::Tensor kept = (masks.positives.any(1) & masks.negatives.any(1)).nonzero().select(1, 0);
    return {kept, hardestPositive.index_select(0, kept), hardestNegative.index_select(0, kept)};
}

}  // namespace crl::losses
