#include "losses/NegativeL1Score.h"

#include <ATen/ATen.h>

#include "losses/ScoringFunction.h"

namespace crl::losses {

at::Tensor negativeL1Scores(const at::Tensor& queries, const at::Tensor& keys) {
    requireScoreInputs("negative_l1", queries, keys);

    // differences: (Nq, Nk, d)
    at::Tensor differences = queries.unsqueeze(1) - keys.unsqueeze(0);
    return -differences.abs().sum(-1);
}

}  // namespace crl::losses
