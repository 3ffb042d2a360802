#pragma once
// The momentum (EMA) key encoder of MoCo (He et al. 2020) and BYOL's target network (Grill et
// al. 2020), survey §III-C2: the key side is a copy of the online (query) module that is never
// trained by the optimiser. After each optimiser step k of K, every parameter of the copy moves
// towards the online one,
//
//   θ_k ← τ θ_k + (1 − τ) θ_q,   τ(k) = 1 − (1 − τ₀)(cos(πk/K) + 1)/2,
//
// so τ rises from τ₀ at the first step to 1 at the last (BYOL's schedule). Buffers (batch-norm
// running statistics) are not averaged: as in MoCo and BYOL the copy keeps the statistics of the
// key batches it has seen itself.

#include <cstdint>
#include <memory>

#include <torch/nn/module.h>

namespace crl::models {

/// τ(k) for step k (0 for the first optimiser step) of `totalSteps`; τ₀ when totalSteps ≤ 0.
double momentumAt(double baseMomentum, std::int64_t step, std::int64_t totalSteps);

/// Makes `key` a constant: its parameters stop requiring gradients, so the optimiser and
/// autograd never touch it.
void freezeKeyCopy(torch::nn::Module& key);

/// θ_k ← τ θ_k + (1 − τ) θ_q for each parameter pair of `key` and `online`, which must have the
/// same structure (key a clone of online).
void momentumUpdate(torch::nn::Module& key, const torch::nn::Module& online, double momentum);

}  // namespace crl::models
