#include "models/MomentumEncoder.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numbers>

#include <torch/utils.h>

namespace crl::models {

double momentumAt(double baseMomentum, std::int64_t step, std::int64_t totalSteps) {
    if (totalSteps <= 0) {
        return baseMomentum;
    }
    const double progress = static_cast<double>(std::clamp<std::int64_t>(step, 0, totalSteps)) /
                            static_cast<double>(totalSteps);
    return 1.0 - (1.0 - baseMomentum) * (std::cos(std::numbers::pi * progress) + 1.0) / 2.0;
}

void freezeKeyCopy(torch::nn::Module& key) {
    for (at::Tensor& parameter : key.parameters()) {
        parameter.set_requires_grad(false);
    }
}

void momentumUpdate(torch::nn::Module& key, const torch::nn::Module& online, double momentum) {
    torch::NoGradGuard noGrad;
    std::vector<at::Tensor> keyParameters = key.parameters();
    const std::vector<at::Tensor> onlineParameters = online.parameters();
    assert(keyParameters.size() == onlineParameters.size() && "key copy of another module");

    for (std::size_t i = 0; i < keyParameters.size(); ++i) {
        keyParameters[i].mul_(momentum).add_(onlineParameters[i], 1.0 - momentum);
    }
}

}  // namespace crl::models
