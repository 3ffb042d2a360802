#pragma once
// Prepares training batches ahead of the training step on a worker thread: shuffles each epoch
// with a generator seeded from (seed, epoch), gathers the uint8 images and labels of each batch
// and copies them to the training device (pinned memory and non-blocking copies on CUDA). The
// batch for a given step depends only on (seed, step), never on thread timing, so a resumed run
// sees exactly the batches an uninterrupted one would.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include <ATen/Tensor.h>
#include <c10/core/Device.h>

#include "data/ImageDataset.h"

namespace crl::data {

struct Batch {
    std::int64_t step = 0;  ///< global step index this batch is for
    std::int64_t epoch = 0;
    at::Tensor images;   ///< uint8 (N, C, H, W) on the device
    at::Tensor labels;   ///< int64 (N) on the device
    at::Tensor indices;  ///< int64 (N), positions in the data set
};

class BatchPrefetcher {
public:
    /// Serves steps [firstStep, stepsPerEpoch * epochs). Batches of one sample are skipped:
    /// a short last batch is kept when it has at least two samples.
    BatchPrefetcher(const ImageDataset& dataset, std::int64_t batchSize, std::int64_t seed,
                    std::int64_t epochs, std::int64_t firstStep, c10::Device device, int depth = 3);
    ~BatchPrefetcher();

    BatchPrefetcher(const BatchPrefetcher&) = delete;
    BatchPrefetcher& operator=(const BatchPrefetcher&) = delete;

    /// The next batch, waiting for the worker if needed; nullopt after the last step.
    std::optional<Batch> next();

    std::int64_t stepsPerEpoch() const { return m_stepsPerEpoch; }
    static std::int64_t stepsPerEpoch(std::int64_t samples, std::int64_t batchSize);

private:
    void run();
    Batch make(std::int64_t step, const at::Tensor& permutation) const;

    ImageDataset m_dataset;
    std::int64_t m_batchSize;
    std::int64_t m_seed;
    std::int64_t m_stepsPerEpoch;
    std::int64_t m_totalSteps;
    std::int64_t m_firstStep;
    c10::Device m_device;
    std::size_t m_depth;

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Batch> m_ready;
    bool m_done = false;
    bool m_stopping = false;
    std::exception_ptr m_error;
    std::thread m_worker;
};

}  // namespace crl::data
