// The optimiser node: how the parameters upstream of the loss are updated. The trainer reads
// its parameters to build the torch optimiser and the learning-rate schedule.

#include "graph/Stage.h"
#include "graph/nodes/NodeFamilies.h"
#include "graph/nodes/ParamSpecs.h"

namespace crl::graph::nodes {
namespace {

class OptimiserStage : public Stage {
public:
    PortValues forward(const PortValues&, StepContext&) override { return {}; }
};

}  // namespace

void registerOptimiserNodes(NodeCatalogue& catalogue) {
    catalogue.add({
        "optim.optimiser",
        Family::Optimiser,
        "Optimiser",
        "Minimises the connected loss over every trainable node upstream of it: SGD with "
        "momentum, Adam or AdamW, with a linear warm-up followed by a cosine decay to zero (or a "
        "constant rate).",
        "§III-A",
        {{"loss", PortType::Loss, "the loss to minimise"}},
        {},
        {choiceParam("algorithm", "adamw", {"sgd", "adam", "adamw"}, "update rule"),
         realParam("lr", 2e-3, 1e-7, 10.0, "", "peak learning rate"),
         realParam("momentum", 0.9, 0.0, 0.999, "", "SGD momentum (ignored by Adam/AdamW)"),
         realParam("weight_decay", 1e-4, 0.0, 1.0, "", "weight decay (decoupled for AdamW)"),
         realParam("warmup_epochs", 1.0, 0.0, 1000.0, "epochs",
                   "linear warm-up length, capped at a fifth of the run"),
         choiceParam("schedule", "cosine", {"cosine", "constant"},
                     "learning rate after the warm-up")},
        [](const Node&, const BuildContext&) -> std::unique_ptr<Stage> {
            return std::make_unique<OptimiserStage>();
        },
    });
}

}  // namespace crl::graph::nodes
