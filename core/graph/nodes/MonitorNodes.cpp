// Monitor nodes: what the trainer measures while it trains, and on which port. They change no
// gradient; their stages pass nothing on. The trainer reads their parameters (see
// train::monitorSettings), so a monitor placed in the editor is the one the run uses.

#include "graph/Stage.h"
#include "graph/nodes/NodeFamilies.h"
#include "graph/nodes/ParamSpecs.h"

namespace crl::graph::nodes {
namespace {

class MonitorStage : public Stage {
public:
    PortValues forward(const PortValues&, StepContext&) override { return {}; }
};

std::unique_ptr<Stage> buildMonitor(const Node&, const BuildContext&) {
    return std::make_unique<MonitorStage>();
}

}  // namespace

void registerMonitorNodes(NodeCatalogue& catalogue) {
    catalogue.add({
        "monitor.embedding_quality",
        Family::Monitor,
        "Alignment and uniformity",
        "Measures the metric embedding z of held-out positive pairs every few steps: alignment "
        "(mean squared distance between the two normalised views, α = 2; lower is better), "
        "uniformity (log mean Gaussian potential over distinct pairs, t = 2; lower is better, 0 "
        "when collapsed) and the collapse indicator (mean per-dimension standard deviation of "
        "the normalised embeddings; 0 when collapsed, about 1/√d when spread out).",
        "§III-E, §VI-A",
        {{"embedding", PortType::Embedding, "the metric embedding z to measure"}},
        {},
        {intParam("every", 50, 1, 1e6, "steps", "steps between two measurements"),
         intParam("pairs", 1024, 16, 65536, "pairs",
                  "held-out positive pairs measured (fixed for the whole run)")},
        &buildMonitor,
    });
    catalogue.add({
        "monitor.knn",
        Family::Monitor,
        "kNN accuracy",
        "After every epoch, classifies the test split by a weighted vote of its k nearest "
        "training samples (cosine similarity of the representation v, weights exp(s / T)) and "
        "reports top-1 accuracy: how well the representation separates the labelled classes "
        "without training a classifier.",
        "§VI-A",
        {{"representation", PortType::Representation, "the representation v to classify"}},
        {},
        {intParam("k", 20, 1, 1000, "neighbours", "neighbours that vote"),
         realParam("temperature", 0.07, 0.001, 10.0, "", "vote weight exp(similarity / T)")},
        &buildMonitor,
    });
}

}  // namespace crl::graph::nodes
