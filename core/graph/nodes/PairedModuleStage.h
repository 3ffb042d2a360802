#pragma once
// A stage that applies one module to a query/key pair. Both sides go through the module as one
// batch of 2N, so batch-norm statistics are shared across the views as in SimCLR, and the
// module runs once per step instead of twice.

#include <ATen/ATen.h>

#include "graph/Stage.h"

namespace crl::graph::nodes {

template <typename ModuleHolder>
class PairedModuleStage : public Stage {
public:
    PairedModuleStage(ModuleHolder module, std::string input, std::string output, std::int64_t dim)
        : m_module(std::move(module)),
          m_input(std::move(input)),
          m_output(std::move(output)),
          m_dim(dim) {}

    PortValues forward(const PortValues& inputs, StepContext&) override {
        const PortValue& in = inputs.at(m_input);
        if (!in.key.defined()) {
            return {{m_output, {m_module->forward(in.query), {}}}};
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
};

}  // namespace crl::graph::nodes
