#pragma once
// Bilinear scoring function (survey §III-E1), the score of the original InfoNCE in CPC (Oord et
// al. 2018): s(q, k) = qᵀ W k with a learned matrix W (query width × key width), a linear map from
// the key space into the query space before the dot product. A torch module, so W is trained and
// saved with the rest of the model; to hand it to a loss, wrap forward in a losses::Score.

#include <cstdint>

#include <torch/arg.h>
#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

namespace crl::losses {

struct BilinearScoreOptions {
    BilinearScoreOptions(std::int64_t queryDim, std::int64_t keyDim)
        : queryDim_(queryDim), keyDim_(keyDim) {}

    /// Width d_q of the query embeddings.
    TORCH_ARG(std::int64_t, queryDim);
    /// Width d_k of the key embeddings.
    TORCH_ARG(std::int64_t, keyDim);
};

class BilinearScoreImpl : public torch::nn::Cloneable<BilinearScoreImpl> {
public:
    /// Throws UserError for a width < 1.
    explicit BilinearScoreImpl(const BilinearScoreOptions& options);

    /// Starts W at the identity (padded or cut when d_q ≠ d_k): the dot score to begin with.
    void reset() override;

    /// queries: (Nq, d_q), keys: (Nk, d_k) -> scores: (Nq, Nk). Throws UserError on bad widths.
    torch::Tensor forward(const torch::Tensor& queries, const torch::Tensor& keys);

    BilinearScoreOptions options;
    /// W: (d_q, d_k)
    torch::Tensor weight;
};

TORCH_MODULE(BilinearScore);

}  // namespace crl::losses
