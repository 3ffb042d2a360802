#pragma once
// Extraction of what a trained pipeline computes for a set of images: the encoder's
// representation v (what transfers to downstream tasks) or the head's metric embedding z (what
// the loss compared). Runs in eval mode, in chunks, without gradients.

#include <atomic>

#include <ATen/Tensor.h>
#include <c10/core/Device.h>

#include "graph/Plan.h"

namespace crl::analysis {

enum class EmbeddingKind { Representation, MetricEmbedding };

/// images: uint8 (N, C, H, W) on any device -> float (N, d) on `device`. When `cancel` is
/// set (checked between chunks) it returns an undefined tensor instead.
at::Tensor extractEmbeddings(graph::Plan& plan, const at::Tensor& images, c10::Device device,
                             std::int64_t imageSize,
                             EmbeddingKind kind = EmbeddingKind::Representation,
                             std::int64_t chunk = 1024, const std::atomic<bool>* cancel = nullptr);

}  // namespace crl::analysis
