#pragma once
// Reader for the IDX format of MNIST and Fashion-MNIST: a big-endian header (magic number
// 0x00000803 = 2051 for uint8 images of rank 3, 0x00000801 = 2049 for uint8 labels of rank 1,
// then one 32-bit size per dimension) followed by the raw bytes. Files may be gzip-compressed
// or plain. Every read is bounds-checked: a truncated file, a wrong magic number or a header
// whose sizes do not match the payload is a DataError naming the file and what was expected.

#include <filesystem>

#include <ATen/Tensor.h>

#include "data/ImageDataset.h"

namespace crl::data {

/// uint8 (N, 1, H, W) images from an idx3 file.
at::Tensor readIdxImages(const std::filesystem::path& path);

/// int64 (N) labels from an idx1 file.
at::Tensor readIdxLabels(const std::filesystem::path& path);

/// Images and labels of one split; throws DataError when their counts differ.
ImageDataset readIdxDataset(const std::filesystem::path& images,
                            const std::filesystem::path& labels);

}  // namespace crl::data
