#include "train/Monitors.h"

#include <ATen/ATen.h>

#include "losses/CosineScore.h"

namespace crl::train {

double alignment(const at::Tensor& zQuery, const at::Tensor& zKey, double alpha) {
    at::Tensor q = losses::l2Normalize(zQuery.to(at::kDouble));
    at::Tensor k = losses::l2Normalize(zKey.to(at::kDouble));
    return (q - k).norm(2, {1}).pow(alpha).mean().item<double>();
}

double uniformity(const at::Tensor& z, double t) {
    at::Tensor x = losses::l2Normalize(z.to(at::kDouble));

    // Squared distances of the N(N-1)/2 distinct pairs: ‖a − b‖² = 2 − 2 a·b on the sphere.
    at::Tensor gram = at::matmul(x, x.t());
    at::Tensor squared = (2.0 - 2.0 * gram).clamp_min(0.0);
    at::Tensor upper = at::triu_indices(x.size(0), x.size(0), /*offset=*/1, at::kLong);
    at::Tensor pairs = squared.index({upper[0], upper[1]});
    return (-t * pairs).exp().mean().log().item<double>();
}

double collapseIndicator(const at::Tensor& z) {
    at::Tensor x = losses::l2Normalize(z.to(at::kDouble));
    return x.std(0, /*unbiased=*/false).mean().item<double>();
}

}  // namespace crl::train
