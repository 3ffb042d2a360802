#pragma once
// SwAV's swapped prediction (Caron et al. 2020), survey §III-D/E: the codes of one view, computed
// online by Sinkhorn–Knopp from its prototype scores, are the targets for the softmax over the
// other view's prototype scores:
//
//   L = −½ mean_b Σ_k ( q₂[b,k] log p₁[b,k] + q₁[b,k] log p₂[b,k] ),  p = softmax(s / τ)
//
// Scores are the embeddings' scores against the prototypes (the prototype layer is a head, not
// part of the loss); codes carry no gradient. A batch of one gets uniform codes, 1/K each.

#include <cstdint>

#include <ATen/Tensor.h>

namespace crl::losses {

struct SwavLossOptions {
    /// τ of the prediction softmax.
    double temperature = 0.1;
    /// ε of the Sinkhorn–Knopp codes.
    double epsilon = 0.05;
    std::int64_t sinkhornIterations = 3;
};

/// scores1, scores2: (B, K) scores of the two views against K prototypes -> scalar loss. Throws
/// UserError for τ ≤ 0, ε ≤ 0, no iterations or mismatched shapes.
at::Tensor swavLoss(const at::Tensor& scores1, const at::Tensor& scores2,
                    const SwavLossOptions& options = {});

}  // namespace crl::losses
