#pragma once
// Projection head h(v) -> z (survey §III-D1): a linear map (layers = 1) or an MLP of `layers`
// linear layers with optional batch norm and ReLU between them, as in SimCLR. The contrastive
// loss is computed on z; the representation v before the head is what transfers.

#include <torch/nn/cloneable.h>
#include <torch/nn/modules/container/sequential.h>

namespace crl::models {

struct ProjectionHeadOptions {
    ProjectionHeadOptions(std::int64_t inDim) : in_dim_(inDim) {}
    TORCH_ARG(std::int64_t, in_dim);
    TORCH_ARG(std::int64_t, hidden_dim) = 256;
    TORCH_ARG(std::int64_t, out_dim) = 128;
    TORCH_ARG(std::int64_t, layers) = 2;
    TORCH_ARG(bool, batch_norm) = true;
};

class ProjectionHeadImpl : public torch::nn::Cloneable<ProjectionHeadImpl> {
public:
    explicit ProjectionHeadImpl(const ProjectionHeadOptions& options);

    void reset() override;

    /// v: (N, in_dim) -> z: (N, out_dim)
    at::Tensor forward(const at::Tensor& v);

    ProjectionHeadOptions options;
    torch::nn::Sequential body{nullptr};
};

TORCH_MODULE(ProjectionHead);

}  // namespace crl::models
