// Similarity-distribution nodes (survey §III-B): which keys are positive for a query. Here the
// data-transformation family: two random augmentations of one image form a positive pair.

#include "augment/ViewAugmenter.h"
#include "graph/Stage.h"
#include "graph/nodes/NodeFamilies.h"
#include "graph/nodes/ParamSpecs.h"

namespace crl::graph::nodes {
namespace {

class AugmentViewsStage : public Stage {
public:
    explicit AugmentViewsStage(augment::ViewAugmenterOptions options) : m_options(options) {}

    PortValues forward(const PortValues& inputs, StepContext& context) override {
        const at::Tensor& images = inputs.at("images").query;
        at::Tensor query = augment::makeView(images, m_options, context.generator);
        at::Tensor key = augment::makeView(images, m_options, context.generator);
        return {{"views", {query, key}}};
    }

private:
    augment::ViewAugmenterOptions m_options;
};

std::unique_ptr<Stage> buildAugmentViews(const Node& node, const BuildContext& context) {
    const PipelineGraph& g = context.graph;
    augment::ViewAugmenterOptions o;
    o.crop.scaleMin = g.real(node, "crop_scale_min");
    o.crop.scaleMax = std::max(o.crop.scaleMin, g.real(node, "crop_scale_max"));
    o.crop.flipProbability = g.real(node, "flip_p");
    o.jitterProbability = g.real(node, "jitter_p");
    o.brightness = g.real(node, "brightness");
    o.contrast = g.real(node, "contrast");
    o.blurProbability = g.real(node, "blur_p");
    o.blurSigmaMax = std::max(o.blurSigmaMin, g.real(node, "blur_sigma_max"));
    o.noiseProbability = g.real(node, "noise_p");
    o.noiseStd = g.real(node, "noise_std");
    o.eraseProbability = g.real(node, "erase_p");
    o.eraseScaleMax = std::max(o.eraseScaleMin, g.real(node, "erase_scale_max"));
    o.outputSize = context.imageSize;
    return std::make_unique<AugmentViewsStage>(o);
}

}  // namespace

void registerSimilarityNodes(NodeCatalogue& catalogue) {
    catalogue.add({
        "similarity.augment_views",
        Family::Similarity,
        "Augmentation views",
        "Instance discrimination: each image x gives a query view t(x) and a key view t'(x) from "
        "two independent draws of the augmentation chain (random resized crop with horizontal "
        "flip, brightness/contrast jitter, Gaussian blur, Gaussian noise, random erasing). The two "
        "views of one image are a positive pair; views of other images are negatives. The chain "
        "decides which invariances the representation learns.",
        "§III-B2",
        {{"images", PortType::Images, "images to augment"}},
        {{"views", PortType::Views, "query and key views, float (N, C, S, S) in [0, 1]"}},
        {realParam("crop_scale_min", 0.3, 0.01, 1.0, "of area",
                   "smallest crop, as a fraction of the image area"),
         realParam("crop_scale_max", 1.0, 0.01, 1.0, "of area",
                   "largest crop, as a fraction of the image area"),
         realParam("flip_p", 0.5, 0.0, 1.0, "", "probability of a horizontal flip"),
         realParam("jitter_p", 0.8, 0.0, 1.0, "", "probability of brightness/contrast jitter"),
         realParam("brightness", 0.4, 0.0, 1.0, "", "brightness factor range 1 ± this"),
         realParam("contrast", 0.4, 0.0, 1.0, "", "contrast factor range 1 ± this"),
         realParam("blur_p", 0.0, 0.0, 1.0, "", "probability of a Gaussian blur"),
         realParam("blur_sigma_max", 1.0, 0.1, 10.0, "px", "largest blur sigma"),
         realParam("noise_p", 0.0, 0.0, 1.0, "", "probability of additive Gaussian noise"),
         realParam("noise_std", 0.05, 0.0, 1.0, "",
                   "noise standard deviation (intensities in [0, 1])"),
         realParam("erase_p", 0.0, 0.0, 1.0, "", "probability of erasing one random rectangle"),
         realParam("erase_scale_max", 0.2, 0.02, 1.0, "of area", "largest erased area")},
        &buildAugmentViews,
    });
}

}  // namespace crl::graph::nodes
