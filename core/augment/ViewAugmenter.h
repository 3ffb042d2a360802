#pragma once
// The augmentation chain that turns a batch of images into two views, the query and the key
// (instance discrimination, survey §II-C and §III-B2: q = t(x), k = t'(x) with t, t' ~ T).

#include <ATen/Tensor.h>
#include <ATen/core/Generator.h>

#include "augment/ViewTransforms.h"

namespace crl::augment {

struct ViewAugmenterOptions {
    CropOptions crop;
    double jitterProbability = 0.8;
    double brightness = 0.4;
    double contrast = 0.4;
    double blurProbability = 0.0;
    double blurSigmaMin = 0.1;
    double blurSigmaMax = 1.0;
    double noiseProbability = 0.0;
    double noiseStd = 0.05;
    double eraseProbability = 0.0;
    double eraseScaleMin = 0.02;
    double eraseScaleMax = 0.2;
    std::int64_t outputSize = 28;
};

/// One random view of each image: uint8 (N, C, H, W) -> float (N, C, S, S) in [0, 1].
at::Tensor makeView(const at::Tensor& images, const ViewAugmenterOptions& options,
                    at::Generator& generator);

/// The un-augmented image as a float view, resized to the output size when it differs.
at::Tensor plainView(const at::Tensor& images, std::int64_t outputSize);

}  // namespace crl::augment
