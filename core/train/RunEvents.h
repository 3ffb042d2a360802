#pragma once
// What a training run reports while it runs, and how it is steered. The trainer sends events
// to a RunSink; the CLI writes them to metrics.jsonl and the terminal, the GUI's Qt adapter
// forwards them as queued, coalesced signals. Torch-free so widgets can include it.

#include <atomic>
#include <cstdint>
#include <map>
#include <string>

namespace crl::train {

struct RunEvent {
    enum class Kind { Step, Monitor, Epoch, Checkpoint, Message, Finished };

    Kind kind = Kind::Step;
    std::int64_t step = 0;   ///< optimiser steps done so far
    std::int64_t epoch = 0;  ///< 1-based epoch the step belongs to
    std::int64_t totalSteps = 0;
    /// Named measurements: loss, lr, views_per_s, alignment, uniformity, collapse, knn_top1, ...
    std::map<std::string, double> metrics;
    std::string text;  ///< checkpoint path or message text
};

/// Receives run events on the training thread; implementations must be thread-safe.
class RunSink {
public:
    virtual ~RunSink() = default;
    virtual void onEvent(const RunEvent& event) = 0;
};

/// Flags the trainer checks between steps; set from any thread.
struct RunControl {
    std::atomic<bool> stop{false};
    std::atomic<bool> pause{false};
};

}  // namespace crl::train
