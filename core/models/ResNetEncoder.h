#pragma once
// ResNet-18/34 (He et al. 2016) adapted to 28-32 px inputs as in SimCLR's CIFAR variant
// (survey §III-C1): a 3x3 stride-1 stem without max pooling, then four stages of basic blocks
// (2-2-2-2 for depth 18, 3-4-6-3 for depth 34) with widths w, 2w, 4w, 8w and global average
// pooling. v has 8w dimensions (512 at the standard w = 64).

#include <torch/nn/cloneable.h>
#include <torch/nn/modules/container/sequential.h>

namespace crl::models {

struct ResNetEncoderOptions {
    ResNetEncoderOptions(std::int64_t inChannels) : in_channels_(inChannels) {}
    TORCH_ARG(std::int64_t, in_channels);
    TORCH_ARG(std::int64_t, depth) = 18;  ///< 18 or 34
    TORCH_ARG(std::int64_t, width) = 64;
};

class ResNetEncoderImpl : public torch::nn::Cloneable<ResNetEncoderImpl> {
public:
    explicit ResNetEncoderImpl(const ResNetEncoderOptions& options);

    void reset() override;

    /// x: (N, C, H, W) -> v: (N, 8 * width)
    at::Tensor forward(const at::Tensor& x);

    std::int64_t outputDim() const { return 8 * options.width(); }

    ResNetEncoderOptions options;
    torch::nn::Sequential stem{nullptr};
    torch::nn::Sequential stages{nullptr};
};

TORCH_MODULE(ResNetEncoder);

}  // namespace crl::models
