#include "data/BatchPrefetcher.h"

#include <algorithm>
#include <string>
#include <utility>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "common/Error.h"

namespace crl::data {
namespace {

/// SplitMix64 finaliser: nearby inputs give unrelated outputs.
std::uint64_t splitMix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/// The shuffle of one epoch: int64 (N), a function of (seed, epoch) alone.
at::Tensor epochPermutation(std::int64_t samples, std::int64_t seed, std::int64_t epoch) {
    // Mixed, not added, so that (seed, epoch + 1) and (seed + 1, epoch) shuffle differently.
    const std::uint64_t mixed = splitMix64(splitMix64(static_cast<std::uint64_t>(seed)) ^
                                           static_cast<std::uint64_t>(epoch));
    at::Generator generator = at::detail::createCPUGenerator(mixed);
    return at::randperm(samples, generator, at::TensorOptions().dtype(at::kLong));
}

}  // namespace

std::int64_t BatchPrefetcher::stepsPerEpoch(std::int64_t samples, std::int64_t batchSize) {
    if (samples <= 0 || batchSize <= 0) {
        return 0;
    }

    // A trailing batch of one sample has no partner to contrast with, so it is dropped.
    const std::int64_t full = samples / batchSize;
    const std::int64_t rest = samples % batchSize;
    return full + (rest >= 2 ? 1 : 0);
}

BatchPrefetcher::BatchPrefetcher(const ImageDataset& dataset, std::int64_t batchSize,
                                 std::int64_t seed, std::int64_t epochs, std::int64_t firstStep,
                                 c10::Device device, int depth)
    : m_dataset(dataset),
      m_batchSize(batchSize),
      m_seed(seed),
      m_stepsPerEpoch(stepsPerEpoch(dataset.size(), batchSize)),
      m_totalSteps(0),
      m_firstStep(firstStep),
      m_device(device),
      m_depth(static_cast<std::size_t>(std::max(depth, 1))) {
    if (batchSize < 2) {
        throw UserError(
            "Batch size must be at least 2 (a contrastive batch needs a sample to "
            "contrast with), got " +
            std::to_string(batchSize) + ".");
    }
    if (m_stepsPerEpoch == 0) {
        throw UserError("The data set " + dataset.origin + " has " +
                        std::to_string(dataset.size()) +
                        " samples; training needs at least 2. Choose a larger data set.");
    }
    if (epochs < 0 || firstStep < 0) {
        throw UserError("Epochs and the first step must not be negative, got " +
                        std::to_string(epochs) + " epochs and first step " +
                        std::to_string(firstStep) + ".");
    }
    m_totalSteps = m_stepsPerEpoch * epochs;

    // Started last: the worker reads every member set above.
    m_worker = std::thread([this] { run(); });
}

BatchPrefetcher::~BatchPrefetcher() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    if (m_worker.joinable()) {
        m_worker.join();
    }
}

std::optional<Batch> BatchPrefetcher::next() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_ready.empty() || m_done; });

    // Batches made before a failure are served first; the failure surfaces in their order.
    if (!m_ready.empty()) {
        Batch batch = std::move(m_ready.front());
        m_ready.pop_front();
        lock.unlock();
        m_changed.notify_all();
        return batch;
    }
    if (m_error) {
        std::rethrow_exception(m_error);
    }
    return std::nullopt;
}

void BatchPrefetcher::run() {
    try {
        at::Tensor permutation;
        std::int64_t permutationEpoch = -1;
        for (std::int64_t step = m_firstStep; step < m_totalSteps; ++step) {
            const std::int64_t epoch = step / m_stepsPerEpoch;
            if (epoch != permutationEpoch) {
                permutation = epochPermutation(m_dataset.size(), m_seed, epoch);
                permutationEpoch = epoch;
            }
            Batch batch = make(step, permutation);

            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return m_ready.size() < m_depth || m_stopping; });
            if (m_stopping) {
                return;
            }
            m_ready.push_back(std::move(batch));
            lock.unlock();
            m_changed.notify_all();
        }
    } catch (...) {
        std::lock_guard lock(m_mutex);
        m_error = std::current_exception();
    }

    {
        std::lock_guard lock(m_mutex);
        m_done = true;
    }
    m_changed.notify_all();
}

Batch BatchPrefetcher::make(std::int64_t step, const at::Tensor& permutation) const {
    Batch batch;
    batch.step = step;
    batch.epoch = step / m_stepsPerEpoch;

    // indices: int64 (B), or fewer for a short last batch.
    const std::int64_t first = (step % m_stepsPerEpoch) * m_batchSize;
    const std::int64_t last = std::min(first + m_batchSize, m_dataset.size());
    batch.indices = permutation.slice(/*dim=*/0, first, last).clone();

    // images: uint8 (B, C, H, W); labels: int64 (B). Gathered on the CPU, where the data live.
    at::Tensor images = m_dataset.images.index_select(0, batch.indices);
    at::Tensor labels = m_dataset.labels.index_select(0, batch.indices);

    // Pinned host memory lets the copy run asynchronously on this thread's current stream, the
    // device's default stream; a training step on that stream is queued behind the copy, so it
    // waits for the data on the device without blocking the host.
    if (m_device.is_cuda()) {
        images = images.pin_memory().to(m_device, /*non_blocking=*/true);
        labels = labels.pin_memory().to(m_device, /*non_blocking=*/true);
    } else if (m_device != images.device()) {
        images = images.to(m_device);
        labels = labels.to(m_device);
    }
    batch.images = std::move(images);
    batch.labels = std::move(labels);
    return batch;
}

}  // namespace crl::data
