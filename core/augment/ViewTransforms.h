#pragma once
// Batched view transforms for instance discrimination (survey §III-B2, data transformation):
// a random transformation t ~ T applied to a whole batch at once on the training device. Each
// transform draws its per-sample parameters from a seeded CPU generator, so a given seed gives
// the same views on the CPU and on a GPU, and no transform loops over samples.
// All transforms take and return float tensors (N, C, H, W) with values in [0, 1].

#include <ATen/Tensor.h>
#include <ATen/core/Generator.h>

namespace crl::augment {

struct CropOptions {
    double scaleMin = 0.3;  ///< smallest crop area as a fraction of the image
    double scaleMax = 1.0;
    double ratioMin = 3.0 / 4.0;  ///< aspect ratio range (width / height), sampled log-uniformly
    double ratioMax = 4.0 / 3.0;
    double flipProbability = 0.5;  ///< horizontal flip, folded into the same resampling
};

/// Random resized crop + horizontal flip, resampled bilinearly to `outputSize` x `outputSize`.
at::Tensor randomResizedCrop(const at::Tensor& images, const CropOptions& options,
                             std::int64_t outputSize, at::Generator& generator);

/// Brightness (multiplicative) and contrast (around each image's mean) jitter with probability
/// `probability`; factors drawn uniformly from [1 - strength, 1 + strength]. Clamped to [0, 1].
at::Tensor colorJitter(const at::Tensor& images, double brightness, double contrast,
                       double probability, at::Generator& generator);

/// Gaussian blur with probability `probability` and sigma uniform in [sigmaMin, sigmaMax] px;
/// edges are replicated, so a constant image stays constant.
at::Tensor gaussianBlur(const at::Tensor& images, double sigmaMin, double sigmaMax,
                        double probability, at::Generator& generator);

/// Additive Gaussian noise (std `stddev`) with probability `probability`; clamped to [0, 1].
at::Tensor gaussianNoise(const at::Tensor& images, double stddev, double probability,
                         at::Generator& generator);

/// Random erasing (Zhong et al. 2020): with probability `probability` one rectangle of area
/// fraction in [scaleMin, scaleMax] and aspect ratio in [0.3, 3.3] is set to 0.
at::Tensor randomErasing(const at::Tensor& images, double scaleMin, double scaleMax,
                         double probability, at::Generator& generator);

/// uint8 (N, C, H, W) -> float in [0, 1] on the same device.
at::Tensor toUnitFloat(const at::Tensor& images);

}  // namespace crl::augment
