#include "models/SmallCnnEncoder.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/pooling.h>

namespace crl::models {

SmallCnnEncoderImpl::SmallCnnEncoderImpl(const SmallCnnEncoderOptions& options_)
    : options(options_) {
    reset();
}

void SmallCnnEncoderImpl::reset() {
    namespace nn = torch::nn;
    body = nn::Sequential();
    std::int64_t in = options.in_channels();
    std::int64_t width = options.width();
    for (int stage = 0; stage < 4; ++stage) {
        std::int64_t out = width << stage;
        std::int64_t stride = stage == 0 ? 1 : 2;
        body->push_back(
            nn::Conv2d(nn::Conv2dOptions(in, out, 3).stride(stride).padding(1).bias(false)));
        body->push_back(nn::BatchNorm2d(out));
        body->push_back(nn::ReLU(nn::ReLUOptions(true)));
        in = out;
    }
    body->push_back(nn::AdaptiveAvgPool2d(1));
    body->push_back(nn::Flatten());
    register_module("body", body);
}

at::Tensor SmallCnnEncoderImpl::forward(const at::Tensor& x) {
    return body->forward(x);
}

}  // namespace crl::models
