#pragma once
// An in-memory image data set: every image as uint8 in one (N, C, H, W) tensor and its class
// index in an int64 (N) tensor. Kept whole so that batches are gathered, not decoded, per step.

#include <string>
#include <vector>

#include <ATen/Tensor.h>

namespace crl::data {

struct ImageDataset {
    at::Tensor images;  ///< uint8, (N, C, H, W), contiguous
    at::Tensor labels;  ///< int64, (N)
    std::vector<std::string> classNames;
    std::string origin;  ///< what it was read from, for messages

    std::int64_t size() const { return images.defined() ? images.size(0) : 0; }
    std::int64_t channels() const { return images.size(1); }
    std::int64_t height() const { return images.size(2); }
    std::int64_t width() const { return images.size(3); }

    /// The first `count` samples (all when count <= 0 or count >= size()); shares storage.
    ImageDataset head(std::int64_t count) const;
};

/// The two splits a data-set reference names.
struct DatasetSplits {
    ImageDataset train;
    ImageDataset test;
};

}  // namespace crl::data
