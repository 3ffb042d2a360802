#pragma once
// NT-Xent, the normalised temperature-scaled cross-entropy of SimCLR (Chen et al. 2020) — the
// InfoNCE family of survey §III-E3. For a batch of N samples with query and key embeddings,
// each of the 2N views is a query whose positive key is the other view of the same sample and
// whose 2N − 2 negatives are the views of all other samples; self-similarity is excluded:
//
//   ℓ(i) = −log  exp(s(z_i, z_j(i)) / τ) / Σ_{k ≠ i} exp(s(z_i, z_k) / τ)
//
// with s the cosine score. The loss is the mean of ℓ over all 2N views. N is taken from the
// batch itself, so a short last batch works. When all embeddings are identical every score is
// equal and the loss is ln(2N − 1) for any τ.

#include <ATen/Tensor.h>

namespace crl::losses {

struct NtXentLossOptions {
    double temperature = 0.2;
};

/// zQuery, zKey: (N, d), N ≥ 2 -> scalar loss. Throws UserError for N < 2 or τ ≤ 0.
at::Tensor ntXentLoss(const at::Tensor& zQuery, const at::Tensor& zKey,
                      const NtXentLossOptions& options);

}  // namespace crl::losses
