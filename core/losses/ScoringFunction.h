#pragma once
// The scoring functions of survey §III-E1 behind one interface. A score maps queries (Nq, d) and
// keys (Nk, d) to a matrix of compatibilities (Nq, Nk), higher meaning more alike: dot product,
// cosine, and the negated L1 and L2 distances, so that distance-based losses can read a distance
// as −score. The bilinear score has a learned matrix and is a module (BilinearScore); wrap its
// forward in a Score to hand it to a loss.

#include <functional>
#include <string>
#include <vector>

#include <ATen/Tensor.h>

namespace crl::losses {

/// queries: (Nq, d), keys: (Nk, d) -> scores: (Nq, Nk)
using Score = std::function<at::Tensor(const at::Tensor& queries, const at::Tensor& keys)>;

enum class ScoringFunction { Dot, Cosine, NegativeL1, NegativeL2 };

/// The parameter-free score for a kind.
Score makeScore(ScoringFunction kind);

/// The score named "dot", "cosine", "negative_l1" or "negative_l2". Throws UserError for any other
/// name, including "bilinear", which needs a BilinearScore module.
Score makeScore(const std::string& name);

/// The name makeScore accepts for a kind.
std::string scoringFunctionName(ScoringFunction kind);

/// Every name makeScore accepts, in enum order.
std::vector<std::string> scoringFunctionNames();

/// Throws UserError unless queries and keys are 2-D with the same width d.
void requireScoreInputs(const std::string& score, const at::Tensor& queries,
                        const at::Tensor& keys);

}  // namespace crl::losses
