#include "models/ProjectionHead.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/linear.h>

namespace crl::models {

ProjectionHeadImpl::ProjectionHeadImpl(const ProjectionHeadOptions& options_) : options(options_) {
    reset();
}

void ProjectionHeadImpl::reset() {
    namespace nn = torch::nn;
    body = nn::Sequential();
    std::int64_t in = options.in_dim();
    for (std::int64_t layer = 0; layer + 1 < options.layers(); ++layer) {
        body->push_back(
            nn::Linear(nn::LinearOptions(in, options.hidden_dim()).bias(!options.batch_norm())));
        if (options.batch_norm()) {
            body->push_back(nn::BatchNorm1d(options.hidden_dim()));
        }
        body->push_back(nn::ReLU(nn::ReLUOptions(true)));
        in = options.hidden_dim();
    }
    body->push_back(nn::Linear(in, options.out_dim()));
    register_module("body", body);
}

at::Tensor ProjectionHeadImpl::forward(const at::Tensor& v) {
    return body->forward(v);
}

}  // namespace crl::models
