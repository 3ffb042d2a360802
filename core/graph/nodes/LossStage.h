#pragma once
// What the scoring-and-loss nodes (survey §III-E) share: the stage that evaluates one loss on the
// node's input ports, the `score` parameter (§III-E1) with its learned bilinear option, and the
// labels that say which of the 2N views of a batch are positives of each other. A loss that has
// learned parameters (a bilinear W, SwAV's prototypes) owns them as the stage's module, so the
// optimiser trains them and checkpoints keep them like any encoder weight.

#include <functional>
#include <memory>
#include <string>

#include <ATen/Tensor.h>

#include "graph/NodeCatalogue.h"
#include "graph/Stage.h"
#include "losses/ScoringFunction.h"

namespace crl::graph::nodes {

/// Evaluates `loss` on the connected inputs and puts the scalar on the `loss` output port.
class LossStage : public Stage {
public:
    using LossFn = std::function<at::Tensor(const PortValues& inputs)>;

    explicit LossStage(LossFn loss, std::shared_ptr<torch::nn::Module> module = nullptr)
        : m_loss(std::move(loss)), m_module(std::move(module)) {}

    PortValues forward(const PortValues& inputs, StepContext&) override {
        return {{"loss", {m_loss(inputs), {}}}};
    }
    torch::nn::Module* module() override { return m_module.get(); }

private:
    LossFn m_loss;
    std::shared_ptr<torch::nn::Module> m_module;
};

/// A score as a loss takes it; `module` holds the bilinear W and is null for the fixed scores.
struct ScoreChoice {
    losses::Score score;
    std::shared_ptr<torch::nn::Module> module;
};

/// The `score` choice parameter: dot, cosine, negative_l1, negative_l2 or bilinear.
ParamSpec scoreParam(const std::string& defaultScore, const std::string& help);

/// The score a node's `score` parameter names. "bilinear" makes a learned W (d × d), started at
/// the identity, for the width d of the embeddings arriving at `port`; throws ProjectError naming
/// the node when that width is unknown.
ScoreChoice buildScore(const Node& node, const BuildContext& context,
                       const std::string& port = "embedding");

/// The `embedding` input: metric embeddings z of the query and key views.
PortSpec embeddingInput();
/// The `labels` input: class labels from the data set.
PortSpec labelsInput(bool optional);
/// The scalar `loss` output.
PortSpec lossOutput();

/// The query/key pair on `port`; throws UserError naming the node unless both views are there.
const PortValue& viewPair(const PortValues& inputs, const std::string& port,
                          const std::string& node);

/// zQuery and zKey stacked into one batch: (2N, d).
at::Tensor stackedViews(const PortValue& z);

/// Labels for stackedViews(z): the class labels on the `labels` port for both views, [y, y], or
/// without that port the instance labels [0..N−1, 0..N−1], so the other view of an image is its
/// only positive and every other view a negative.
at::Tensor stackedLabels(const PortValues& inputs, const PortValue& z);

}  // namespace crl::graph::nodes
