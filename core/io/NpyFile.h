#pragma once
// NumPy .npy files (format version 1.0): a magic string, a little header dict with dtype,
// fortran_order and shape, padded to 64 bytes, then the raw C-order data. Written for float32
// and int64 tensors so that embeddings open with numpy.load as they are.

#include <filesystem>

#include <ATen/Tensor.h>

namespace crl::io {

/// Writes a float32 or int64 CPU-convertible tensor atomically. Throws UserError on failure.
void writeNpy(const std::filesystem::path& path, const at::Tensor& tensor);

/// Reads a float32, float64, int32 or int64 little-endian C-order .npy file.
/// Throws DataError naming the file and the problem.
at::Tensor readNpy(const std::filesystem::path& path);

}  // namespace crl::io
