#pragma once
// Shared argument checks and precision handling for the losses and scores of core/losses. Every
// loss rejects impossible parameters with a crl::UserError that names the value and a usual
// range, and computes in at least fp32 so that half-precision input never overflows to NaN.

#include <cstdint>
#include <string>

#include <ATen/Tensor.h>

namespace crl::losses {

/// Throws UserError unless value > 0, e.g. "InfoNCE temperature must be > 0 (got -1); 0.05-0.5
/// are usual values".
void requirePositive(const std::string& what, double value, const std::string& usualRange);

/// Throws UserError unless value ≥ 0.
void requireNonNegative(const std::string& what, double value, const std::string& usualRange);

/// Throws UserError unless x is (N, d) with N ≥ minRows.
void requireEmbeddings(const std::string& loss, const std::string& name, const at::Tensor& x,
                       std::int64_t minRows);

/// Throws UserError unless a and b are both (N, d) with the same N and d.
void requireSameShape(const std::string& loss, const at::Tensor& a, const at::Tensor& b);

/// Throws UserError unless a and b are both 2-D with the same number of rows (widths may differ,
/// as for a bilinear score; the score checks them).
void requireSameRows(const std::string& loss, const at::Tensor& a, const at::Tensor& b);

/// Throws UserError unless labels is a 1-D integer tensor with one label per embedding row.
void requireLabels(const std::string& loss, const at::Tensor& embeddings, const at::Tensor& labels);

/// Half and bfloat16 tensors as fp32; fp32 and fp64 unchanged. Losses compute in this type.
at::Tensor toComputeType(const at::Tensor& x);

/// A zero loss that keeps the autograd graph of x, in x's dtype, for degenerate batches.
at::Tensor zeroLoss(const at::Tensor& x);

/// Shortest text form of a double ("-1e-08", "0.5", "nan").
std::string formatValue(double value);

}  // namespace crl::losses
