#include "analysis/EmbeddingExtraction.h"

#include <ATen/ATen.h>

#include "augment/ViewAugmenter.h"

namespace crl::analysis {

at::Tensor extractEmbeddings(graph::Plan& plan, const at::Tensor& images, c10::Device device,
                             std::int64_t imageSize, EmbeddingKind kind, std::int64_t chunk,
                             const std::atomic<bool>* cancel) {
    plan.train(false);
    std::vector<at::Tensor> parts;
    for (std::int64_t start = 0; start < images.size(0); start += chunk) {
        if (cancel != nullptr && cancel->load()) {
            plan.train(true);
            return {};
        }
        std::int64_t rows = std::min(chunk, images.size(0) - start);
        at::Tensor views = augment::plainView(images.narrow(0, start, rows).to(device), imageSize);
        parts.push_back(kind == EmbeddingKind::Representation
                            ? plan.represent(views)
                            : plan.embed(views, at::Tensor()).query);
    }
    plan.train(true);
    return parts.empty() ? at::empty({0, 0}) : at::cat(parts, 0);
}

}  // namespace crl::analysis
