#pragma once
// The runtime side of a node: what a compiled plan executes. A stage reads the values on its
// input ports and produces the values on its output ports. Values that come in query/key pairs
// (views, representations v, metric embeddings z) travel together so that an encoder can run
// both views in one batch and a loss sees both sides. Stages with a key side that changes
// outside back-propagation (a momentum copy, a queue of past keys) hold it as a state module and
// update it in afterOptimiserStep.

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include <ATen/Tensor.h>
#include <torch/nn/module.h>

#include "graph/PipelineGraph.h"

namespace crl::graph {

/// The value on one port. `key` is undefined for unpaired values (images, labels, a loss).
struct PortValue {
    at::Tensor query;
    at::Tensor key;
};

using PortValues = std::map<std::string, PortValue>;

/// What a stage may use while it runs one step.
struct StepContext {
    at::Generator generator;  ///< CPU generator for this step's randomness
    bool training = true;
    std::int64_t step = 0;
};

/// What a builder knows about the node it builds and its surroundings.
struct BuildContext {
    const PipelineGraph& graph;
    std::int64_t channels;   ///< image channels of the data set
    std::int64_t imageSize;  ///< image height and width in px
    /// Feature size arriving at an input port of the node being built (0 if unknown).
    std::function<std::int64_t(const std::string& inputPort)> inputDim;
};

class Stage {
public:
    virtual ~Stage() = default;

    /// Produces the output values from the inputs; inputs holds every connected input port.
    virtual PortValues forward(const PortValues& inputs, StepContext& context) = 0;

    /// Feature size of an output port, for the builders downstream (0 if not a feature vector).
    virtual std::int64_t outputDim(const std::string& /*port*/) const { return 0; }

    /// The trainable module, or nullptr for stages without parameters.
    virtual torch::nn::Module* module() { return nullptr; }

    /// State that checkpoints keep but the optimiser never trains (a momentum key copy, a key
    /// queue), or nullptr. It moves to the training device and between train and eval mode
    /// together with module().
    virtual torch::nn::Module* stateModule() { return nullptr; }

    /// Called by the trainer after each optimiser step; `step` is that step's index (0 for the
    /// first) of the run's `totalSteps`. Key-side updates (EMA, enqueueing keys) happen here.
    virtual void afterOptimiserStep(std::int64_t /*step*/, std::int64_t /*totalSteps*/) {}
};

}  // namespace crl::graph
