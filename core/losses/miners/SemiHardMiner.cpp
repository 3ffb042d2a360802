#include "losses/miners/SemiHardMiner.h"

#include <limits>

#include <ATen/ATen.h>

namespace crl::losses {

Triplets SemiHardMiner::mine(const at::Tensor& scores, const at::Tensor& labels) const {
    const LabelMasks masks = labelMasks(labels);
    const double infinity = std::numeric_limits<double>::infinity();
    at::Tensor s = scores.detach();
    const std::int64_t n = s.size(0);

    // Each anchor's negatives from the highest score to the lowest, as ascending −s, with the
    // non-negatives last. The stable sort keeps equal scores in index order, so a tie goes to the
    // lowest index: (N, N) each.
    at::Tensor keys = (-s).masked_fill(~masks.negatives, infinity).contiguous();
    auto [sorted, order] = keys.sort(/*stable=*/true, /*dim=*/1, /*descending=*/false);

    // Per (anchor, positive), a binary search finds the first negative scoring strictly below the
    // positive: the highest-scoring semi-hard one. O(N² log N), where a mask over every
    // (anchor, positive, negative) would take N³ memory. first: (N, N)
    at::Tensor first =
        at::searchsorted(sorted, (-s).contiguous(), /*out_int32=*/false, /*right=*/true);
    at::Tensor slot = first.clamp_max(n - 1);
    at::Tensor found = (first < n) & (sorted.gather(1, slot) < infinity);

    at::Tensor pairs = (masks.positives & found).nonzero();
    at::Tensor anchors = pairs.select(1, 0);
    at::Tensor positives = pairs.select(1, 1);
    return {anchors, positives, order.gather(1, slot).index({anchors, positives})};
}

}  // namespace crl::losses
