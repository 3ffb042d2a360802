#include "analysis/KnnClassifier.h"

#include <algorithm>

#include <ATen/ATen.h>

#include "losses/CosineScore.h"

namespace crl::analysis {

at::Tensor knnPredict(const at::Tensor& trainFeatures, const at::Tensor& trainLabels,
                      const at::Tensor& testFeatures, std::int64_t numClasses,
                      const KnnOptions& options) {
    at::Tensor train = losses::l2Normalize(trainFeatures.to(at::kFloat));
    at::Tensor test = losses::l2Normalize(testFeatures.to(at::kFloat));
    at::Tensor labels = trainLabels.to(train.device(), at::kLong);
    const std::int64_t k = std::min<std::int64_t>(options.k, train.size(0));

    std::vector<at::Tensor> predictions;
    for (std::int64_t start = 0; start < test.size(0); start += options.chunk) {
        std::int64_t rows = std::min(options.chunk, test.size(0) - start);

        // scores: (rows, N_train); neighbours: (rows, k)
        at::Tensor scores = at::matmul(test.narrow(0, start, rows), train.t());
        auto [topScores, topIndex] = scores.topk(k, /*dim=*/1);
        at::Tensor weights = (topScores / options.temperature).exp();

        // votes: (rows, classes), the summed weight of the neighbours of each class
        at::Tensor votes = at::zeros({rows, numClasses}, weights.options());
        votes.scatter_add_(1, labels.index_select(0, topIndex.reshape(-1)).view({rows, k}),
                           weights);
        predictions.push_back(votes.argmax(1));
    }
    return at::cat(predictions, 0);
}

double knnTop1(const at::Tensor& trainFeatures, const at::Tensor& trainLabels,
               const at::Tensor& testFeatures, const at::Tensor& testLabels,
               std::int64_t numClasses, const KnnOptions& options) {
    at::Tensor predicted =
        knnPredict(trainFeatures, trainLabels, testFeatures, numClasses, options);
    return predicted.eq(testLabels.to(predicted.device(), at::kLong))
        .to(at::kDouble)
        .mean()
        .item<double>();
}

}  // namespace crl::analysis
