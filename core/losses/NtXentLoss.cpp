#include "losses/NtXentLoss.h"

#include <limits>
#include <sstream>

#include <ATen/ATen.h>

#include "common/Error.h"
#include "losses/CosineScore.h"

namespace crl::losses {

at::Tensor ntXentLoss(const at::Tensor& zQuery, const at::Tensor& zKey,
                      const NtXentLossOptions& options) {
    const std::int64_t n = zQuery.size(0);
    if (n < 2 || zKey.size(0) != n) {
        throw UserError("NT-Xent needs a batch of at least 2 samples with one key per query; got " +
                        std::to_string(n) + " queries and " + std::to_string(zKey.size(0)) +
                        " keys. Raise the batch size.");
    }
    if (!(options.temperature > 0.0)) {
        // Shortest form, so that a tiny negative value is not shown as "-0.000000".
        std::ostringstream value;
        value << options.temperature;
        throw UserError("NT-Xent temperature must be > 0 (got " + value.str() +
                        "); 0.1-0.5 are usual values");
    }

    // z: (2N, d); scores: (2N, 2N), computed in fp32 for a stable log-sum-exp
    at::Tensor z = at::cat({zQuery, zKey}, 0).to(at::kFloat);
    at::Tensor logits = cosineScores(z, z) / options.temperature;

    // A view is not its own negative: mask the diagonal out of the softmax.
    at::Tensor self = at::eye(2 * n, logits.options().dtype(at::kBool));
    logits = logits.masked_fill(self, -std::numeric_limits<float>::infinity());

    // The positive of view i is i + N (and of i + N, i).
    at::Tensor index = at::arange(n, logits.options().dtype(at::kLong));
    at::Tensor targets = at::cat({index + n, index}, 0);
    return at::cross_entropy_loss(logits, targets);
}

}  // namespace crl::losses
