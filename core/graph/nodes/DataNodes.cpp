// Data-set nodes: where the samples x come from. The trainer loads the data set the node names
// and places each batch on the node's output ports; the stage itself computes nothing.

#include "graph/Stage.h"
#include "graph/nodes/NodeFamilies.h"
#include "graph/nodes/ParamSpecs.h"

namespace crl::graph::nodes {
namespace {

class DataStage : public Stage {
public:
    PortValues forward(const PortValues&, StepContext&) override { return {}; }
};

}  // namespace

void registerDataNodes(NodeCatalogue& catalogue) {
    catalogue.add({
        "data.images",
        Family::Data,
        "Image data set",
        "Labelled images: the built-in Fashion-MNIST (Debian's dataset-fashion-mnist: 60,000 "
        "train and 10,000 test images of 10 clothing classes, 28x28 grayscale) or an image folder "
        "with one sub-folder per class (train/ and test/ inside it when it has them). Labels are "
        "used only by supervised similarity and by the evaluation monitors.",
        "§III-A",
        {},
        {{"images", PortType::Images, "uint8 images, (N, C, H, W)"},
         {"labels", PortType::Labels, "class index per image, (N)"}},
        {pathParam(
             "source", "builtin:fashion-mnist",
             "builtin:fashion-mnist, or a folder of class sub-folders (relative to the project)"),
         intParam("channels", 1, 1, 3, "",
                  "channels the images are converted to: 1 (gray) or 3 (RGB)"),
         intParam("size", 28, 8, 256, "px", "height and width the images are resized to")},
        [](const Node&, const BuildContext&) -> std::unique_ptr<Stage> {
            return std::make_unique<DataStage>();
        },
    });
}

}  // namespace crl::graph::nodes
