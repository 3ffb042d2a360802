#include "losses/BinaryNceLoss.h"

#include <ATen/ATen.h>

#include "common/Log.h"
#include "losses/LossChecks.h"

namespace crl::losses {

at::Tensor binaryNceLoss(const at::Tensor& queries, const at::Tensor& keys,
                         const BinaryNceLossOptions& options) {
    requirePositive("binary NCE temperature", options.temperature, "0.05-1");
    requireSameRows("binary NCE", queries, keys);
    requireEmbeddings("binary NCE", "queries", queries, 1);
    const std::int64_t n = queries.size(0);

    // logits: (N, N)
    at::Tensor logits =
        options.score(toComputeType(queries), toComputeType(keys)) / options.temperature;
    at::Tensor positive = at::eye(n, logits.options().dtype(at::kBool));

    // −log σ(x) = softplus(−x) and −log(1 − σ(x)) = softplus(x), both stable for large |x|.
    at::Tensor loss = at::softplus(-logits.diagonal()).mean();
    if (n < 2) {
        logWarning("binary NCE: a batch of one has no negative key; only the positive term counts");
    } else {
        loss = loss + at::softplus(logits).masked_select(~positive).mean();
    }
    return loss.to(queries.scalar_type());
}

}  // namespace crl::losses
