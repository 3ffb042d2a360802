#include "models/ResNetEncoder.h"

#include <torch/nn/functional/activation.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/pooling.h>

#include "common/Error.h"

namespace crl::models {
namespace {

namespace nn = torch::nn;

nn::Conv2d conv3x3(std::int64_t in, std::int64_t out, std::int64_t stride) {
    return nn::Conv2d(nn::Conv2dOptions(in, out, 3).stride(stride).padding(1).bias(false));
}

// Two 3x3 convolutions with a residual connection; a 1x1 projection when the shape changes.
class BasicBlockImpl : public nn::Cloneable<BasicBlockImpl> {
public:
    BasicBlockImpl(std::int64_t in, std::int64_t out, std::int64_t stride)
        : m_in(in), m_out(out), m_stride(stride) {
        reset();
    }

    void reset() override {
        conv1 = register_module("conv1", conv3x3(m_in, m_out, m_stride));
        bn1 = register_module("bn1", nn::BatchNorm2d(m_out));
        conv2 = register_module("conv2", conv3x3(m_out, m_out, 1));
        bn2 = register_module("bn2", nn::BatchNorm2d(m_out));
        if (m_stride != 1 || m_in != m_out) {
            shortcut = register_module(
                "shortcut",
                nn::Sequential(
                    nn::Conv2d(nn::Conv2dOptions(m_in, m_out, 1).stride(m_stride).bias(false)),
                    nn::BatchNorm2d(m_out)));
        }
    }

    at::Tensor forward(const at::Tensor& x) {
        at::Tensor y = torch::relu(bn1->forward(conv1->forward(x)));
        y = bn2->forward(conv2->forward(y));
        return torch::relu(y + (shortcut ? shortcut->forward(x) : x));
    }

    nn::Conv2d conv1{nullptr}, conv2{nullptr};
    nn::BatchNorm2d bn1{nullptr}, bn2{nullptr};
    nn::Sequential shortcut{nullptr};

private:
    std::int64_t m_in, m_out, m_stride;
};

TORCH_MODULE(BasicBlock);

}  // namespace

ResNetEncoderImpl::ResNetEncoderImpl(const ResNetEncoderOptions& options_) : options(options_) {
    reset();
}

void ResNetEncoderImpl::reset() {
    std::vector<int> blocks;
    if (options.depth() == 18) {
        blocks = {2, 2, 2, 2};
    } else if (options.depth() == 34) {
        blocks = {3, 4, 6, 3};
    } else {
        throw UserError("ResNet depth " + std::to_string(options.depth()) +
                        " is not supported; use 18 or 34");
    }

    const std::int64_t width = options.width();
    stem = register_module(
        "stem", nn::Sequential(conv3x3(options.in_channels(), width, 1), nn::BatchNorm2d(width),
                               nn::ReLU(nn::ReLUOptions(true))));
    stages = nn::Sequential();
    std::int64_t in = width;
    for (std::size_t stage = 0; stage < blocks.size(); ++stage) {
        std::int64_t out = width << stage;
        for (int b = 0; b < blocks[stage]; ++b) {
            std::int64_t stride = (b == 0 && stage > 0) ? 2 : 1;
            stages->push_back(BasicBlock(in, out, stride));
            in = out;
        }
    }
    stages->push_back(nn::AdaptiveAvgPool2d(1));
    stages->push_back(nn::Flatten());
    register_module("stages", stages);
}

at::Tensor ResNetEncoderImpl::forward(const at::Tensor& x) {
    return stages->forward(stem->forward(x));
}

}  // namespace crl::models
