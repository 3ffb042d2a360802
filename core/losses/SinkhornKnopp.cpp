#include "losses/SinkhornKnopp.h"

#include <cmath>

#include <ATen/ATen.h>

#include "common/Error.h"
#include "losses/LossChecks.h"

namespace crl::losses {

at::Tensor sinkhornKnopp(const at::Tensor& scores, double epsilon, std::int64_t iterations) {
    requirePositive("Sinkhorn-Knopp epsilon", epsilon, "0.02-0.1");
    if (iterations < 1) {
        throw UserError("Sinkhorn-Knopp iterations must be >= 1 (got " +
                        std::to_string(iterations) + "); 3 is the usual value");
    }
    requireEmbeddings("Sinkhorn-Knopp", "scores", scores, 1);
    at::NoGradGuard noGrad;
    const double b = static_cast<double>(scores.size(0));
    const double k = static_cast<double>(scores.size(1));

    // The scaling runs on log Q, where it is a subtraction of log-sum-exps: scores far larger than
    // ε (a collapsed batch, untrained prototypes) would underflow exp to whole zero rows otherwise.
    at::Tensor logQ = toComputeType(scores.detach()) / epsilon;

    for (std::int64_t i = 0; i < iterations; ++i) {
        // Each prototype (column) holds 1/K of the mass, then each sample (row) 1/B.
        logQ = logQ - logQ.logsumexp(0, /*keepdim=*/true) - std::log(k);
        logQ = logQ - logQ.logsumexp(1, /*keepdim=*/true) - std::log(b);
    }
    return (logQ.exp() * b).to(scores.scalar_type());
}

}  // namespace crl::losses
