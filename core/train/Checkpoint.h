#pragma once
// Resumable checkpoints: the weights of every trainable node, the key-side state the optimiser
// does not train (momentum key copies, MoCo key queues), the optimiser state (moments, step
// counts) and where the run stands (step, epoch, seed). The batch order and the views of
// a step depend only on (seed, step), so these are all a resumed run needs to continue exactly
// where the checkpoint was taken. Written atomically: a crash mid-write keeps the previous one.

#include <filesystem>
#include <string>

#include <torch/optim/optimizer.h>

#include "graph/Plan.h"

namespace crl::train {

struct CheckpointState {
    std::int64_t step = 0;   ///< optimiser steps completed
    std::int64_t epoch = 0;  ///< epochs completed
    std::int64_t seed = 0;
    std::int64_t totalSteps = 0;  ///< the run's planned length, for the schedule
};

void saveCheckpoint(const std::filesystem::path& path, graph::Plan& plan,
                    torch::optim::Optimizer* optimiser, const CheckpointState& state);

/// Restores weights (and the optimiser when given) onto `device`, whichever device the
/// checkpoint was saved from, and returns the state.
/// Throws DataError naming the file when it is missing, damaged or for another pipeline.
CheckpointState loadCheckpoint(const std::filesystem::path& path, graph::Plan& plan,
                               torch::optim::Optimizer* optimiser,
                               c10::Device device = c10::Device(c10::kCPU));

}  // namespace crl::train
