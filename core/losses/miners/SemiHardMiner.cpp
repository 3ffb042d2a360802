#include "losses/miners/SemiHardMiner.h"

#include <limits>

#include <ATen/ATen.h>

namespace crl::losses {

Triplets SemiHardMiner::mine(const at::Tensor& scores, const at::Tensor& labels) const {
    const LabelMasks masks = labelMasks(labels);
    at::Tensor s = scores.detach();

    // semiHard: (N, N, N) over (anchor, positive, negative), s(a, n) < s(a, p)
    at::Tensor below = s.unsqueeze(1) < s.unsqueeze(2);
    at::Tensor semiHard = below & masks.negatives.unsqueeze(1) & masks.positives.unsqueeze(2);

    // Per pair, the highest-scoring semi-hard negative: (N, N)
    at::Tensor candidate = s.unsqueeze(1).expand_as(semiHard).masked_fill(
        ~semiHard, -std::numeric_limits<double>::infinity());
    at::Tensor negative = candidate.argmax(2);

    at::Tensor pairs = semiHard.any(2).nonzero();
    at::Tensor anchors = pairs.select(1, 0);
    at::Tensor positives = pairs.select(1, 1);
    return {anchors, positives, negative.index({anchors, positives})};
}

}  // namespace crl::losses
