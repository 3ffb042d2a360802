#include "analysis/LinearProbe.h"

#include <ATen/ATen.h>
#include <torch/nn/functional/loss.h>
#include <torch/optim/lbfgs.h>

#include "analysis/ConfusionMatrix.h"
#include "common/Error.h"

namespace crl::analysis {
namespace {

void checkSplit(const char* split, const at::Tensor& features, const at::Tensor& labels,
                std::int64_t numClasses) {
    const std::string name(split);
    if (features.dim() != 2 || labels.dim() != 1 || features.size(0) != labels.size(0)) {
        throw UserError("linear probe: the " + name +
                        " split needs features (N, d) and labels (N); got " +
                        std::to_string(features.dim()) + "-d features and " +
                        std::to_string(labels.numel()) + " labels");
    }
    if (features.size(0) == 0) {
        throw UserError("linear probe: the " + name + " split is empty");
    }
    at::Tensor longLabels = labels.to(at::kLong);
    if (longLabels.min().item<std::int64_t>() < 0 ||
        longLabels.max().item<std::int64_t>() >= numClasses) {
        throw UserError("linear probe: " + name + " labels must lie in [0, " +
                        std::to_string(numClasses) + "); the largest is " +
                        std::to_string(longLabels.max().item<std::int64_t>()));
    }
}

}  // namespace

LinearProbeResult linearProbe(const at::Tensor& trainFeatures, const at::Tensor& trainLabels,
                              const at::Tensor& testFeatures, const at::Tensor& testLabels,
                              std::int64_t numClasses, const LinearProbeOptions& options) {
    checkSplit("train", trainFeatures, trainLabels, numClasses);
    checkSplit("test", testFeatures, testLabels, numClasses);
    if (trainFeatures.size(1) != testFeatures.size(1)) {
        throw UserError("linear probe: train features have " +
                        std::to_string(trainFeatures.size(1)) + " dimensions, test features " +
                        std::to_string(testFeatures.size(1)) + "; extract both with one model");
    }
    if (!(options.weightDecay >= 0.0) || options.iterations < 1) {
        throw UserError("linear probe: weight decay must be >= 0 and iterations >= 1; got " +
                        std::to_string(options.weightDecay) + " and " +
                        std::to_string(options.iterations));
    }
    torch::NoGradGuard outerNoGrad;

    // Standardise with the train split's statistics; a constant feature keeps std 1 so it
    // becomes zero rather than NaN.
    at::Tensor train = trainFeatures.to(at::kDouble);
    at::Tensor mean = train.mean(0, /*keepdim=*/true);
    at::Tensor std = train.std(0, /*unbiased=*/false, /*keepdim=*/true);
    std = at::where(std > 1e-12, std, at::ones_like(std));
    train = (train - mean) / std;
    at::Tensor test = (testFeatures.to(train.device(), at::kDouble) - mean) / std;
    at::Tensor labels = trainLabels.to(train.device(), at::kLong);

    // weight: (classes, d), bias: (classes), both from zero as scikit-learn starts
    at::Tensor weight = at::zeros({numClasses, train.size(1)}, train.options()).requires_grad_();
    at::Tensor bias = at::zeros({numClasses}, train.options()).requires_grad_();
    torch::optim::LBFGS optimiser({weight, bias}, torch::optim::LBFGSOptions(1.0)
                                                      .max_iter(options.iterations)
                                                      .max_eval(options.iterations * 5 / 4)
                                                      .tolerance_grad(options.tolerance)
                                                      .tolerance_change(1e-14)
                                                      .history_size(20)
                                                      .line_search_fn("strong_wolfe"));
    auto objective = [&] {
        torch::AutoGradMode enableGrad(true);
        optimiser.zero_grad();
        at::Tensor logits = at::addmm(bias, train, weight.t());
        at::Tensor loss = torch::nn::functional::cross_entropy(logits, labels) +
                          0.5 * options.weightDecay * weight.pow(2).sum();
        loss.backward();
        return loss;
    };
    optimiser.step(objective);

    LinearProbeResult result;
    result.weight = weight.detach();
    result.bias = bias.detach();
    result.predictions = at::addmm(result.bias, test, result.weight.t()).argmax(1).to(at::kCPU);
    result.confusion = confusionMatrix(result.predictions, testLabels, numClasses);
    result.top1 = top1Accuracy(result.confusion);
    result.perClassAccuracy = perClassAccuracy(result.confusion);
    return result;
}

}  // namespace crl::analysis
