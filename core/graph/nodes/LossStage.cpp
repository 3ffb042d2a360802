#include "graph/nodes/LossStage.h"

#include <ATen/ATen.h>

#include "common/Error.h"
#include "graph/nodes/ParamSpecs.h"
#include "losses/BilinearScore.h"

namespace crl::graph::nodes {

ParamSpec scoreParam(const std::string& defaultScore, const std::string& help) {
    std::vector<std::string> choices = losses::scoringFunctionNames();
    choices.push_back("bilinear");
    return choiceParam("score", defaultScore, std::move(choices), help);
}

ScoreChoice buildScore(const Node& node, const BuildContext& context, const std::string& port) {
    const std::string name = context.graph.text(node, "score");
    if (name != "bilinear") {
        return {losses::makeScore(name), nullptr};
    }

    const std::int64_t dim = context.inputDim(port);
    if (dim < 1) {
        throw ProjectError("node '" + node.id + "': the bilinear score needs the width of the '" +
                           port + "' input; connect it to a head or encoder");
    }
    losses::BilinearScore bilinear(losses::BilinearScoreOptions(dim, dim));
    std::shared_ptr<losses::BilinearScoreImpl> impl = bilinear.ptr();
    losses::Score score = [impl](const at::Tensor& queries, const at::Tensor& keys) {
        return impl->forward(queries, keys);
    };
    return {std::move(score), impl};
}

PortSpec embeddingInput() {
    return {"embedding", PortType::Embedding, "metric embeddings z of the query and key views"};
}

PortSpec labelsInput(bool optional) {
    return {"labels", PortType::Labels,
            optional ? "class labels; without them the two views of an image are its only "
                       "positive pair"
                     : "class labels that define the positives (same class)",
            optional};
}

PortSpec lossOutput() {
    return {"loss", PortType::Loss, "scalar loss"};
}

const PortValue& viewPair(const PortValues& inputs, const std::string& port,
                          const std::string& node) {
    const PortValue& z = inputs.at(port);
    if (!z.query.defined() || !z.key.defined()) {
        throw UserError("node '" + node + "' compares a query view with its key view, but '" +
                        port + "' carries one view; feed it from a two-view similarity node");
    }
    return z;
}

at::Tensor stackedViews(const PortValue& z) {
    return z.key.defined() ? at::cat({z.query, z.key}, 0) : z.query;
}

at::Tensor stackedLabels(const PortValues& inputs, const PortValue& z) {
    const std::int64_t n = z.query.size(0);
    auto labels = inputs.find("labels");
    at::Tensor perView = labels != inputs.end()
                             ? labels->second.query.to(z.query.device(), at::kLong)
                             : at::arange(n, z.query.options().dtype(at::kLong));
    return z.key.defined() ? perView.repeat({2}) : perView;
}

}  // namespace crl::graph::nodes
