#pragma once
// Stages that apply one module to a query/key pair (survey §III-C, how the key encoder is
// updated).
//
// PairedModuleStage shares the module end to end: by default both sides go through it as one
// batch of 2N, so batch-norm statistics are shared across the views as in SimCLR and the module
// runs once per step; with separate batches each side is normalised over its own N views, as the
// predictors of SimSiam and BYOL are.
//
// MomentumModuleStage gives the key side its own copy: query views go through the online module
// with gradients, key views through an EMA copy without them (MoCo's key encoder, BYOL's target
// network). The copy is the stage's state module, so checkpoints keep it and the optimiser never
// sees it; it follows the online module into train or eval mode and is averaged towards it after
// every optimiser step (models/MomentumEncoder.h).

#include <memory>
#include <string>

#include <ATen/ATen.h>
#include <torch/utils.h>

#include "common/Error.h"
#include "graph/PipelineGraph.h"
#include "graph/Stage.h"
#include "models/MomentumEncoder.h"

namespace crl::graph::nodes {

enum class Batching { Joint, Separate };

template <typename ModuleHolder>
class PairedModuleStage : public Stage {
public:
    PairedModuleStage(ModuleHolder module, std::string input, std::string output, std::int64_t dim,
                      Batching batching = Batching::Joint)
        : m_module(std::move(module)),
          m_input(std::move(input)),
          m_output(std::move(output)),
          m_dim(dim),
          m_batching(batching) {}

    PortValues forward(const PortValues& inputs, StepContext&) override {
        const PortValue& in = inputs.at(m_input);
        if (!in.key.defined()) {
            return {{m_output, {m_module->forward(in.query), {}}}};
        }
        if (m_batching == Batching::Separate) {
            return {{m_output, {m_module->forward(in.query), m_module->forward(in.key)}}};
        }
        const std::int64_t n = in.query.size(0);
        at::Tensor both = m_module->forward(at::cat({in.query, in.key}, 0));
        return {{m_output, {both.narrow(0, 0, n), both.narrow(0, n, both.size(0) - n)}}};
    }

    std::int64_t outputDim(const std::string& port) const override {
        return port == m_output ? m_dim : 0;
    }
    torch::nn::Module* module() override { return m_module.ptr().get(); }

private:
    ModuleHolder m_module;
    std::string m_input;
    std::string m_output;
    std::int64_t m_dim;
    Batching m_batching;
};

template <typename ModuleHolder>
class MomentumModuleStage : public Stage {
public:
    using Impl = typename ModuleHolder::ContainedType;

    /// The key copy starts as an exact clone of `online`, as in MoCo and BYOL.
    MomentumModuleStage(ModuleHolder online, double baseMomentum, std::string input,
                        std::string output, std::int64_t dim)
        : m_online(std::move(online)),
          m_key(std::dynamic_pointer_cast<Impl>(m_online->clone())),
          m_baseMomentum(baseMomentum),
          m_input(std::move(input)),
          m_output(std::move(output)),
          m_dim(dim) {
        models::freezeKeyCopy(*m_key);
    }

    PortValues forward(const PortValues& inputs, StepContext&) override {
        const PortValue& in = inputs.at(m_input);
        at::Tensor query = m_online->forward(in.query);
        if (!in.key.defined()) {
            return {{m_output, {query, {}}}};
        }
        torch::NoGradGuard noGrad;
        return {{m_output, {query, m_key->forward(in.key)}}};
    }

    void afterOptimiserStep(std::int64_t step, std::int64_t totalSteps) override {
        models::momentumUpdate(*m_key, *m_online,
                               models::momentumAt(m_baseMomentum, step, totalSteps));
    }

    std::int64_t outputDim(const std::string& port) const override {
        return port == m_output ? m_dim : 0;
    }
    torch::nn::Module* module() override { return m_online.ptr().get(); }
    torch::nn::Module* stateModule() override { return m_key.ptr().get(); }

private:
    ModuleHolder m_online;
    ModuleHolder m_key;
    double m_baseMomentum;
    std::string m_input;
    std::string m_output;
    std::int64_t m_dim;
};

/// The stage of an encoder or head node, as its `key_update` parameter asks: shared end to end
/// (one module, joint batch) or momentum (online module for queries, EMA copy for keys).
template <typename ModuleHolder>
std::unique_ptr<Stage> pairedStage(const Node& node, const BuildContext& context,
                                   ModuleHolder module, std::string input, std::string output,
                                   std::int64_t dim) {
    const std::string update = context.graph.text(node, "key_update");
    if (update == "momentum") {
        return std::make_unique<MomentumModuleStage<ModuleHolder>>(
            std::move(module), context.graph.real(node, "momentum"), std::move(input),
            std::move(output), dim);
    }
    if (update != "shared") {
        throw ProjectError("node '" + node.id + "': unknown key_update '" + update +
                           "'; use shared or momentum");
    }
    return std::make_unique<PairedModuleStage<ModuleHolder>>(std::move(module), std::move(input),
                                                             std::move(output), dim);
}

}  // namespace crl::graph::nodes
