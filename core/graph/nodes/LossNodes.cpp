// Scoring-function and loss nodes (survey §III-E).

#include "graph/Stage.h"
#include "graph/nodes/NodeFamilies.h"
#include "graph/nodes/ParamSpecs.h"
#include "losses/NtXentLoss.h"

namespace crl::graph::nodes {
namespace {

class NtXentStage : public Stage {
public:
    explicit NtXentStage(losses::NtXentLossOptions options) : m_options(options) {}

    PortValues forward(const PortValues& inputs, StepContext&) override {
        const PortValue& z = inputs.at("embedding");
        return {{"loss", {losses::ntXentLoss(z.query, z.key, m_options), {}}}};
    }

private:
    losses::NtXentLossOptions m_options;
};

std::unique_ptr<Stage> buildNtXent(const Node& node, const BuildContext& context) {
    return std::make_unique<NtXentStage>(
        losses::NtXentLossOptions{context.graph.real(node, "temperature")});
}

}  // namespace

void registerLossNodes(NodeCatalogue& catalogue) {
    catalogue.add({
        "loss.nt_xent",
        Family::Loss,
        "NT-Xent (InfoNCE)",
        "Normalised temperature-scaled cross-entropy (SimCLR; InfoNCE family): every view is a "
        "query whose positive is the other view of its image and whose negatives are the 2N - 2 "
        "views of the other images in the batch, scored by cosine similarity divided by the "
        "temperature. Lower temperatures weight hard negatives more.",
        "§III-E3",
        {{"embedding", PortType::Embedding, "metric embeddings z of query and key views"}},
        {{"loss", PortType::Loss, "scalar loss"}},
        {realParam("temperature", 0.2, 0.001, 10.0, "",
                   "temperature tau dividing the cosine scores")},
        &buildNtXent,
    });
}

}  // namespace crl::graph::nodes
