#include "losses/CosineScore.h"

#include <ATen/ATen.h>

namespace crl::losses {

at::Tensor l2Normalize(const at::Tensor& x) {
    return x / x.norm(2, /*dim=*/{1}, /*keepdim=*/true).clamp_min(1e-12);
}

at::Tensor cosineScores(const at::Tensor& queries, const at::Tensor& keys) {
    return at::matmul(l2Normalize(queries), l2Normalize(keys).t());
}

}  // namespace crl::losses
