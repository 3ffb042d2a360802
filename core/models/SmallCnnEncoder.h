#pragma once
// A small convolutional encoder e(x) -> v for 28-32 px images (survey §III-C1, end-to-end
// encoders): four 3x3 conv-BN-ReLU stages, the last three with stride 2, then global average
// pooling. Widths w, 2w, 4w, 8w; the representation v has 8w dimensions. Cheap enough to train
// on a 2-core CPU (about 2,000 views/s fwd+bwd at w = 16).

#include <torch/nn/cloneable.h>
#include <torch/nn/modules/container/sequential.h>

namespace crl::models {

struct SmallCnnEncoderOptions {
    SmallCnnEncoderOptions(std::int64_t inChannels) : in_channels_(inChannels) {}
    TORCH_ARG(std::int64_t, in_channels);
    TORCH_ARG(std::int64_t, width) = 16;
};

class SmallCnnEncoderImpl : public torch::nn::Cloneable<SmallCnnEncoderImpl> {
public:
    explicit SmallCnnEncoderImpl(const SmallCnnEncoderOptions& options);

    void reset() override;

    /// x: (N, C, H, W) -> v: (N, 8 * width)
    at::Tensor forward(const at::Tensor& x);

    std::int64_t outputDim() const { return 8 * options.width(); }

    SmallCnnEncoderOptions options;
    torch::nn::Sequential body{nullptr};
};

TORCH_MODULE(SmallCnnEncoder);

}  // namespace crl::models
