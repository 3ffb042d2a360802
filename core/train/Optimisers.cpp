#include "train/Optimisers.h"

#include <cmath>
#include <numbers>

#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>

#include "common/Error.h"

namespace crl::train {

std::unique_ptr<torch::optim::Optimizer> makeOptimiser(const OptimiserSpec& spec,
                                                       const std::vector<at::Tensor>& parameters) {
    if (spec.algorithm == "sgd") {
        return std::make_unique<torch::optim::SGD>(parameters, torch::optim::SGDOptions(spec.lr)
                                                                   .momentum(spec.momentum)
                                                                   .weight_decay(spec.weightDecay));
    }
    if (spec.algorithm == "adam") {
        return std::make_unique<torch::optim::Adam>(
            parameters, torch::optim::AdamOptions(spec.lr).weight_decay(spec.weightDecay));
    }
    if (spec.algorithm == "adamw") {
        return std::make_unique<torch::optim::AdamW>(
            parameters, torch::optim::AdamWOptions(spec.lr).weight_decay(spec.weightDecay));
    }
    throw UserError("unknown optimiser algorithm '" + spec.algorithm + "'; use sgd, adam or adamw");
}

LearningRateSchedule::LearningRateSchedule(const OptimiserSpec& spec, std::int64_t stepsPerEpoch,
                                           std::int64_t totalSteps)
    : m_peak(spec.lr),
      // The warm-up never takes more than a fifth of the run, so short runs still train at the
      // peak rate for most of their steps.
      m_warmupSteps(std::min(static_cast<std::int64_t>(std::llround(
                                 spec.warmupEpochs * static_cast<double>(stepsPerEpoch))),
                             std::max<std::int64_t>(1, totalSteps) / 5)),
      m_totalSteps(std::max<std::int64_t>(1, totalSteps)),
      m_cosine(spec.schedule == "cosine") {}

double LearningRateSchedule::at(std::int64_t step) const {
    if (step < m_warmupSteps) {
        return m_peak * static_cast<double>(step + 1) / static_cast<double>(m_warmupSteps);
    }
    if (!m_cosine) {
        return m_peak;
    }
    const double span =
        static_cast<double>(std::max<std::int64_t>(1, m_totalSteps - m_warmupSteps));
    const double progress = std::min(1.0, static_cast<double>(step - m_warmupSteps) / span);
    return 0.5 * m_peak * (1.0 + std::cos(std::numbers::pi * progress));
}

void LearningRateSchedule::apply(torch::optim::Optimizer& optimiser, double lr) {
    for (auto& group : optimiser.param_groups()) {
        group.options().set_lr(lr);
    }
}

}  // namespace crl::train
