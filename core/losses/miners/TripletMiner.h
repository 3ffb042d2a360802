#pragma once
// Triplet mining for the triplet margin loss (survey §III-E2): which (anchor, positive, negative)
// triples of a labelled batch the loss sees. Samples with equal labels are positives of each
// other, all others negatives; an anchor is never its own positive. Miners read a score matrix
// (higher = more alike) without gradient and return indices, so the loss alone decides the
// gradient. The miners of this folder differ only in which triplets they keep.

#include <memory>

#include <ATen/Tensor.h>

namespace crl::losses {

/// Indices into the batch, each (T,) int64; T may be 0.
struct Triplets {
    at::Tensor anchors;
    at::Tensor positives;
    at::Tensor negatives;

    std::int64_t size() const { return anchors.size(0); }
};

class TripletMiner {
public:
    virtual ~TripletMiner() = default;

    /// scores: (N, N) among the batch, labels: (N,) -> the kept triplets.
    virtual Triplets mine(const at::Tensor& scores, const at::Tensor& labels) const = 0;
};

/// positives: (N, N) bool, same label and not the diagonal; negatives: (N, N) bool, other label.
struct LabelMasks {
    at::Tensor positives;
    at::Tensor negatives;
};

LabelMasks labelMasks(const at::Tensor& labels);

}  // namespace crl::losses
