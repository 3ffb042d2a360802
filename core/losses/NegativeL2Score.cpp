#include "losses/NegativeL2Score.h"

#include <ATen/ATen.h>

#include "losses/ScoringFunction.h"

namespace crl::losses {

at::Tensor squaredL2Distances(const at::Tensor& queries, const at::Tensor& keys) {
    requireScoreInputs("negative_l2", queries, keys);

    // Explicit differences, (Nq, Nk, d), rather than ‖q‖² + ‖k‖² − 2qᵀk: equal rows give exactly 0.
    at::Tensor differences = queries.unsqueeze(1) - keys.unsqueeze(0);
    return differences.pow(2).sum(-1);
}

at::Tensor l2Distances(const at::Tensor& queries, const at::Tensor& keys) {
    at::Tensor squared = squaredL2Distances(queries, keys);

    // sqrt only where the distance is positive, so that no NaN gradient leaks through at 0.
    at::Tensor positive = squared > 0;
    at::Tensor safe = at::where(positive, squared, at::ones_like(squared));
    return at::where(positive, safe.sqrt(), at::zeros_like(squared));
}

at::Tensor negativeL2Scores(const at::Tensor& queries, const at::Tensor& keys) {
    return -l2Distances(queries, keys);
}

}  // namespace crl::losses
