#include "augment/ViewTransforms.h"

#include <cmath>

#include <ATen/ATen.h>

namespace crl::augment {
namespace {

// Per-sample uniform draws in [low, high): (N) on the CPU, from the step's generator.
at::Tensor uniform(std::int64_t n, double low, double high, at::Generator& generator) {
    return at::empty({n}, at::kFloat).uniform_(low, high, generator);
}

// Per-sample Bernoulli draws as 0/1 floats.
at::Tensor coin(std::int64_t n, double probability, at::Generator& generator) {
    return at::empty({n}, at::kFloat).bernoulli_(probability, generator);
}

at::Tensor onDevice(const at::Tensor& cpu, const at::Tensor& like) {
    return cpu.to(like.device(), like.scalar_type());
}

}  // namespace

at::Tensor toUnitFloat(const at::Tensor& images) {
    return images.to(at::kFloat).div_(255.0);
}

at::Tensor randomResizedCrop(const at::Tensor& images, const CropOptions& options,
                             std::int64_t outputSize, at::Generator& generator) {
    const std::int64_t n = images.size(0);

    // Crop width and height as fractions of the image: area s, aspect ratio r = w / h.
    at::Tensor area = uniform(n, options.scaleMin, options.scaleMax, generator);
    at::Tensor logRatio =
        uniform(n, std::log(options.ratioMin), std::log(options.ratioMax), generator);
    at::Tensor ratio = logRatio.exp();
    at::Tensor width = (area * ratio).sqrt().clamp_max(1.0);
    at::Tensor height = (area / ratio).sqrt().clamp_max(1.0);

    // Centre anywhere the crop stays inside the image; normalised coordinates span [-1, 1].
    at::Tensor centreX = (uniform(n, -1.0, 1.0, generator) * (1.0 - width));
    at::Tensor centreY = (uniform(n, -1.0, 1.0, generator) * (1.0 - height));
    at::Tensor flip = 1.0 - 2.0 * coin(n, options.flipProbability, generator);

    // theta: (N, 2, 3), the affine map from output to input coordinates
    at::Tensor zeros = at::zeros({n});
    at::Tensor theta = at::stack(
        {at::stack({width * flip, zeros, centreX}, 1), at::stack({zeros, height, centreY}, 1)}, 1);
    theta = onDevice(theta, images);
    at::Tensor grid = at::affine_grid_generator(theta, {n, images.size(1), outputSize, outputSize},
                                                /*align_corners=*/false);
    return at::grid_sampler(images, grid, /*interpolation_mode=*/0, /*padding_mode=*/1,
                            /*align_corners=*/false);
}

at::Tensor colorJitter(const at::Tensor& images, double brightness, double contrast,
                       double probability, at::Generator& generator) {
    const std::int64_t n = images.size(0);
    at::Tensor apply = coin(n, probability, generator);
    at::Tensor b = 1.0 + apply * uniform(n, -brightness, brightness, generator);
    at::Tensor c = 1.0 + apply * uniform(n, -contrast, contrast, generator);
    b = onDevice(b, images).view({n, 1, 1, 1});
    c = onDevice(c, images).view({n, 1, 1, 1});

    at::Tensor brightened = (images * b).clamp_(0.0, 1.0);
    at::Tensor mean = brightened.mean({1, 2, 3}, /*keepdim=*/true);
    return ((brightened - mean) * c + mean).clamp_(0.0, 1.0);
}

at::Tensor gaussianBlur(const at::Tensor& images, double sigmaMin, double sigmaMax,
                        double probability, at::Generator& generator) {
    const std::int64_t n = images.size(0);
    const std::int64_t channels = images.size(1);
    const std::int64_t radius =
        std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(2.0 * sigmaMax)));
    const std::int64_t taps = 2 * radius + 1;

    // Samples that are not blurred get a tiny sigma, which makes their kernel a unit impulse.
    at::Tensor apply = coin(n, probability, generator);
    at::Tensor sigma = uniform(n, sigmaMin, sigmaMax, generator).clamp_min(1e-3);
    sigma = apply * sigma + (1.0 - apply) * 1e-3;

    // kernels: (N, taps), normalised 1-D Gaussians, one per sample
    at::Tensor offsets = at::arange(-radius, radius + 1, at::kFloat);
    at::Tensor kernels = (-(offsets.pow(2).unsqueeze(0)) / (2.0 * sigma.pow(2).unsqueeze(1))).exp();
    kernels = kernels / kernels.sum(1, /*keepdim=*/true);
    kernels = onDevice(kernels, images).repeat_interleave(channels, 0);  // (N*C, taps)

    // Separable depthwise convolution: every (sample, channel) plane is its own group. The
    // border is replicated rather than zero-padded, which would darken the image's edges.
    at::Tensor planes = images.reshape({1, n * channels, images.size(2), images.size(3)});
    planes = at::replication_pad2d(planes, {radius, radius, radius, radius});
    const std::vector<std::int64_t> unit{1, 1}, none{0, 0};
    planes = at::conv2d(planes, kernels.view({n * channels, 1, taps, 1}), at::Tensor(), unit,
                        at::IntArrayRef(none), unit, n * channels);
    planes = at::conv2d(planes, kernels.view({n * channels, 1, 1, taps}), at::Tensor(), unit,
                        at::IntArrayRef(none), unit, n * channels);
    return planes.view_as(images);
}

at::Tensor gaussianNoise(const at::Tensor& images, double stddev, double probability,
                         at::Generator& generator) {
    const std::int64_t n = images.size(0);
    at::Tensor apply = onDevice(coin(n, probability, generator), images).view({n, 1, 1, 1});
    at::Tensor noise = at::empty(images.sizes(), at::kFloat).normal_(0.0, stddev, generator);
    return (images + onDevice(noise, images) * apply).clamp_(0.0, 1.0);
}

at::Tensor randomErasing(const at::Tensor& images, double scaleMin, double scaleMax,
                         double probability, at::Generator& generator) {
    const std::int64_t n = images.size(0);
    const double h = static_cast<double>(images.size(2));
    const double w = static_cast<double>(images.size(3));

    // Rectangle size and position in pixels, per sample.
    at::Tensor apply = coin(n, probability, generator);
    at::Tensor area = uniform(n, scaleMin, scaleMax, generator) * (h * w);
    at::Tensor ratio = uniform(n, std::log(0.3), std::log(3.3), generator).exp();
    at::Tensor eh = (area / ratio).sqrt().clamp_max(h);
    at::Tensor ew = (area * ratio).sqrt().clamp_max(w);
    at::Tensor top = uniform(n, 0.0, 1.0, generator) * (h - eh);
    at::Tensor left = uniform(n, 0.0, 1.0, generator) * (w - ew);

    // mask: (N, 1, H, W), 1 inside the rectangle of the samples chosen for erasing
    at::Tensor rows = at::arange(images.size(2), at::kFloat).view({1, -1, 1});
    at::Tensor cols = at::arange(images.size(3), at::kFloat).view({1, 1, -1});
    at::Tensor inside = (rows >= top.view({-1, 1, 1})) & (rows < (top + eh).view({-1, 1, 1})) &
                        (cols >= left.view({-1, 1, 1})) & (cols < (left + ew).view({-1, 1, 1}));
    at::Tensor mask = (inside.to(at::kFloat) * apply.view({-1, 1, 1})).unsqueeze(1);
    return images * (1.0 - onDevice(mask, images));
}

}  // namespace crl::augment
