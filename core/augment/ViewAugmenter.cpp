#include "augment/ViewAugmenter.h"

#include <ATen/ATen.h>

namespace crl::augment {

at::Tensor makeView(const at::Tensor& images, const ViewAugmenterOptions& options,
                    at::Generator& generator) {
    at::Tensor view = toUnitFloat(images);
    view = randomResizedCrop(view, options.crop, options.outputSize, generator);
    if (options.jitterProbability > 0.0) {
        view = colorJitter(view, options.brightness, options.contrast, options.jitterProbability,
                           generator);
    }
    if (options.blurProbability > 0.0) {
        view = gaussianBlur(view, options.blurSigmaMin, options.blurSigmaMax,
                            options.blurProbability, generator);
    }
    if (options.noiseProbability > 0.0) {
        view = gaussianNoise(view, options.noiseStd, options.noiseProbability, generator);
    }
    if (options.eraseProbability > 0.0) {
        view = randomErasing(view, options.eraseScaleMin, options.eraseScaleMax,
                             options.eraseProbability, generator);
    }
    return view;
}

at::Tensor plainView(const at::Tensor& images, std::int64_t outputSize) {
    at::Tensor view = toUnitFloat(images);
    if (view.size(2) != outputSize || view.size(3) != outputSize) {
        view = at::upsample_bilinear2d(view, {outputSize, outputSize}, /*align_corners=*/false);
    }
    return view;
}

}  // namespace crl::augment
