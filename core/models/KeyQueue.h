#pragma once
// MoCo's dictionary of past keys (He et al. 2020), survey §III-C2: a first-in, first-out queue of
// the key embeddings of recent batches, used as extra negatives so that the number of negatives
// no longer depends on the batch size. A ring buffer of `size` slots: each batch's keys are
// written after the previous ones and wrap around to the start, overwriting the oldest keys;
// batches of any size up to `size` (a short last batch, or one larger than the slots left before
// the end) are taken whole. The keys, the write position and the fill count are buffers, so a
// checkpoint keeps them and the queue moves with the module to the training device.

#include <cstdint>

#include <ATen/Tensor.h>
#include <torch/nn/cloneable.h>

namespace crl::models {

struct KeyQueueOptions {
    KeyQueueOptions(std::int64_t size, std::int64_t dim) : size_(size), dim_(dim) {}
    TORCH_ARG(std::int64_t, size);
    TORCH_ARG(std::int64_t, dim);
};

class KeyQueueImpl : public torch::nn::Cloneable<KeyQueueImpl> {
public:
    explicit KeyQueueImpl(const KeyQueueOptions& options);

    void reset() override;

    /// The keys held so far, in slot order: (count, dim); empty (0, dim) before the first batch.
    at::Tensor negatives() const;

    /// The keys held so far from the oldest to the newest: (count, dim).
    at::Tensor oldestFirst() const;

    /// Appends a batch of keys (B, dim) without gradient, B ≤ size. Throws UserError for a batch
    /// larger than the queue or keys of another width.
    void enqueue(const at::Tensor& batch);

    std::int64_t count() const;

    KeyQueueOptions options;
    at::Tensor keys;      ///< (size, dim) slots
    at::Tensor position;  ///< (2,) int64: next slot to write, keys held
};

TORCH_MODULE(KeyQueue);

}  // namespace crl::models
