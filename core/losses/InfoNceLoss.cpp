#include "losses/InfoNceLoss.h"

#include <ATen/ATen.h>

#include "common/Error.h"
#include "common/Log.h"
#include "losses/LossChecks.h"

namespace crl::losses {

at::Tensor infoNceLoss(const at::Tensor& queries, const at::Tensor& keys,
                       const at::Tensor& negatives, const InfoNceLossOptions& options) {
    requirePositive("InfoNCE temperature", options.temperature, "0.05-0.5");
    requireSameRows("InfoNCE", queries, keys);
    requireEmbeddings("InfoNCE", "queries", queries, 1);
    const bool extra = negatives.defined() && negatives.numel() > 0;
    if (extra && (negatives.dim() != 2 || negatives.size(1) != keys.size(1))) {
        throw UserError("InfoNCE negatives must be (M, " + std::to_string(keys.size(1)) +
                        ") like the keys; give the queue the embedding width.");
    }
    if (queries.size(0) < 2 && !extra) {
        logWarning(
            "InfoNCE: a single query without negative keys has nothing to contrast; the "
            "loss is 0");
    }

    // keys: (N + M, d), logits: (N, N + M); the positive of query i is column i
    at::Tensor allKeys = toComputeType(keys);
    if (extra) {
        allKeys = at::cat({allKeys, toComputeType(negatives).to(allKeys.scalar_type())}, 0);
    }
    at::Tensor logits = options.score(toComputeType(queries), allKeys) / options.temperature;
    at::Tensor targets = at::arange(queries.size(0), logits.options().dtype(at::kLong));
    return at::cross_entropy_loss(logits, targets).to(queries.scalar_type());
}

}  // namespace crl::losses
