#pragma once
// Optimisers and learning-rate schedules for the optimiser node: SGD with momentum, Adam and
// AdamW; a linear warm-up followed by a cosine decay to zero (Loshchilov & Hutter 2017) or a
// constant rate.

#include <memory>
#include <string>
#include <vector>

#include <ATen/Tensor.h>
#include <torch/optim/optimizer.h>

namespace crl::train {

struct OptimiserSpec {
    std::string algorithm = "adamw";  ///< sgd | adam | adamw
    double lr = 2e-3;
    double momentum = 0.9;
    double weightDecay = 1e-4;
    double warmupEpochs = 1.0;
    std::string schedule = "cosine";  ///< cosine | constant
};

std::unique_ptr<torch::optim::Optimizer> makeOptimiser(const OptimiserSpec& spec,
                                                       const std::vector<at::Tensor>& parameters);

class LearningRateSchedule {
public:
    LearningRateSchedule(const OptimiserSpec& spec, std::int64_t stepsPerEpoch,
                         std::int64_t totalSteps);

    /// The rate for optimiser step `step` (0-based).
    double at(std::int64_t step) const;

    /// Sets the rate of every parameter group of `optimiser`.
    static void apply(torch::optim::Optimizer& optimiser, double lr);

private:
    double m_peak;
    std::int64_t m_warmupSteps;
    std::int64_t m_totalSteps;
    bool m_cosine;
};

}  // namespace crl::train
