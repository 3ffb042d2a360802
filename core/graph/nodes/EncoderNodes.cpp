// Encoder nodes (survey §III-C): e(x) -> v, shared end to end by query and key or, with
// key_update = momentum, an online encoder for the query and its EMA copy for the key.

#include "common/Error.h"
#include "graph/nodes/NodeFamilies.h"
#include "graph/nodes/PairedModuleStage.h"
#include "graph/nodes/ParamSpecs.h"
#include "models/ResNetEncoder.h"
#include "models/SmallCnnEncoder.h"

namespace crl::graph::nodes {
namespace {

const std::vector<PortSpec> kEncoderInputs = {{"views", PortType::Views, "query and key views"}};
const std::vector<PortSpec> kEncoderOutputs = {
    {"representation", PortType::Representation, "representation v of each view"}};

std::unique_ptr<Stage> buildSmallCnn(const Node& node, const BuildContext& context) {
    models::SmallCnnEncoder encoder(models::SmallCnnEncoderOptions(context.channels)
                                        .width(context.graph.integer(node, "width")));
    std::int64_t dim = encoder->outputDim();
    return pairedStage(node, context, encoder, "views", "representation", dim);
}

std::unique_ptr<Stage> buildResNet(const Node& node, const BuildContext& context) {
    std::int64_t depth = std::stoll(context.graph.text(node, "depth"));
    models::ResNetEncoder encoder(models::ResNetEncoderOptions(context.channels)
                                      .depth(depth)
                                      .width(context.graph.integer(node, "width")));
    std::int64_t dim = encoder->outputDim();
    return pairedStage(node, context, encoder, "views", "representation", dim);
}

}  // namespace

void registerEncoderNodes(NodeCatalogue& catalogue) {
    catalogue.add({
        "encoder.small_cnn",
        Family::Encoder,
        "Small CNN",
        "Four 3x3 conv-BN-ReLU stages (widths w, 2w, 4w, 8w; the last three with stride 2) and "
        "global average pooling: a representation v of 8w dimensions. Shared end to end by query "
        "and key, or with key_update = momentum a momentum (EMA) key encoder as in MoCo and "
        "BYOL. Fast enough for CPU training on 28 px images.",
        "§III-C1, §III-C2",
        kEncoderInputs,
        kEncoderOutputs,
        withKeyUpdate({intParam("width", 16, 4, 256, "channels",
                                "channels of the first stage; v has 8 x width dimensions")}),
        &buildSmallCnn,
    });
    catalogue.add({
        "encoder.resnet",
        Family::Encoder,
        "ResNet-18/34",
        "ResNet with a small-image stem (3x3 stride-1 convolution, no max pooling) as used for "
        "28-32 px inputs, four stages of basic residual blocks and global average pooling; v has "
        "8 x width dimensions (512 at width 64). Shared end to end by query and key, or with "
        "key_update = momentum a momentum (EMA) key encoder as in MoCo and BYOL.",
        "§III-C1, §III-C2",
        kEncoderInputs,
        kEncoderOutputs,
        withKeyUpdate({choiceParam("depth", "18", {"18", "34"},
                                   "number of layers: 18 (2-2-2-2 blocks) or 34 (3-4-6-3)"),
                       intParam("width", 64, 8, 128, "channels",
                                "channels of the first stage; 64 is the standard ResNet")}),
        &buildResNet,
    });
}

}  // namespace crl::graph::nodes
