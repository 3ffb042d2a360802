#include "losses/BarlowTwinsLoss.h"

#include <ATen/ATen.h>

#include "common/Log.h"
#include "losses/LossChecks.h"

namespace crl::losses {

namespace {

at::Tensor standardise(const at::Tensor& z) {
    at::Tensor centred = z - z.mean(0, /*keepdim=*/true);
    return centred / (centred.pow(2).mean(0, /*keepdim=*/true) + 1e-5).sqrt();
}

}  // namespace

at::Tensor barlowTwinsLoss(const at::Tensor& z1, const at::Tensor& z2,
                           const BarlowTwinsLossOptions& options) {
    requireNonNegative("Barlow Twins off-diagonal weight", options.offDiagonalWeight, "0.001-0.01");
    requireSameShape("Barlow Twins", z1, z2);
    requireEmbeddings("Barlow Twins", "embeddings", z1, 1);
    const std::int64_t n = z1.size(0);
    if (n < 2) {
        logWarning(
            "Barlow Twins: a batch of one has no correlation to measure; the loss is the "
            "embedding width");
    }

    // c: (D, D)
    at::Tensor c = at::matmul(standardise(toComputeType(z1)).t(), standardise(toComputeType(z2))) /
                   static_cast<double>(n);
    at::Tensor diagonal = c.diagonal();
    at::Tensor onDiagonal = (1.0 - diagonal).pow(2).sum();
    at::Tensor offDiagonal = c.pow(2).sum() - diagonal.pow(2).sum();
    return (onDiagonal + options.offDiagonalWeight * offDiagonal).to(z1.scalar_type());
}

}  // namespace crl::losses
