#include "losses/BilinearScore.h"

#include <sstream>

#include <ATen/ATen.h>

#include "common/Error.h"

namespace crl::losses {

BilinearScoreImpl::BilinearScoreImpl(const BilinearScoreOptions& options) : options(options) {
    if (options.queryDim() < 1 || options.keyDim() < 1) {
        throw UserError("bilinear score widths must be >= 1 (got " +
                        std::to_string(options.queryDim()) + " x " +
                        std::to_string(options.keyDim()) + "); use the embedding widths");
    }
    reset();
}

void BilinearScoreImpl::reset() {
    weight = register_parameter("weight", torch::eye(options.queryDim(), options.keyDim()));
}

torch::Tensor BilinearScoreImpl::forward(const torch::Tensor& queries, const torch::Tensor& keys) {
    if (queries.dim() != 2 || keys.dim() != 2 || queries.size(1) != options.queryDim() ||
        keys.size(1) != options.keyDim()) {
        std::ostringstream shapes;
        shapes << queries.sizes() << " and " << keys.sizes();
        throw UserError("bilinear score expects queries (Nq, " +
                        std::to_string(options.queryDim()) + ") and keys (Nk, " +
                        std::to_string(options.keyDim()) + "); got " + shapes.str() +
                        ". Set the score's widths to the embedding widths.");
    }

    // (Nq, d_q) x (d_q, d_k) x (d_k, Nk)
    return at::matmul(at::matmul(queries, weight.to(queries.scalar_type())), keys.t());
}

}  // namespace crl::losses
