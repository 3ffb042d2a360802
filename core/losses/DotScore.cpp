#include "losses/DotScore.h"

#include <ATen/ATen.h>

#include "losses/ScoringFunction.h"

namespace crl::losses {

at::Tensor dotScores(const at::Tensor& queries, const at::Tensor& keys) {
    requireScoreInputs("dot", queries, keys);
    return at::matmul(queries, keys.t());
}

}  // namespace crl::losses
