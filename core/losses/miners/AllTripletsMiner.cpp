#include "losses/miners/AllTripletsMiner.h"

#include <ATen/ATen.h>

namespace crl::losses {

Triplets AllTripletsMiner::mine(const at::Tensor& scores, const at::Tensor& labels) const {
    (void)scores;
    const LabelMasks masks = labelMasks(labels);

    // valid: (N, N, N) over (anchor, positive, negative)
    at::Tensor valid = masks.positives.unsqueeze(2) & masks.negatives.unsqueeze(1);
    at::Tensor indices = valid.nonzero();
    return {indices.select(1, 0), indices.select(1, 1), indices.select(1, 2)};
}

}  // namespace crl::losses
