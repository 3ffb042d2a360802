#include "analysis/ConfusionMatrix.h"

#include <limits>

#include <ATen/ATen.h>

#include "common/Error.h"

namespace crl::analysis {

at::Tensor confusionMatrix(const at::Tensor& predicted, const at::Tensor& trueLabels,
                           std::int64_t numClasses) {
    if (predicted.numel() != trueLabels.numel()) {
        throw UserError("confusion matrix: " + std::to_string(predicted.numel()) +
                        " predictions for " + std::to_string(trueLabels.numel()) +
                        " labels; pass one prediction per labelled sample");
    }
    at::Tensor truth = trueLabels.to(at::kCPU, at::kLong).reshape(-1);
    at::Tensor guess = predicted.to(at::kCPU, at::kLong).reshape(-1);
    at::Tensor flat = at::bincount(truth * numClasses + guess, /*weights=*/{},
                                   /*minlength=*/numClasses * numClasses);
    return flat.narrow(0, 0, numClasses * numClasses).view({numClasses, numClasses});
}

std::vector<double> perClassAccuracy(const at::Tensor& confusion) {
    at::Tensor counts = confusion.to(at::kDouble);
    at::Tensor rows = counts.sum(1);
    at::Tensor diagonal = counts.diagonal();
    std::vector<double> accuracy;
    for (std::int64_t c = 0; c < counts.size(0); ++c) {
        double total = rows[c].item<double>();
        accuracy.push_back(total > 0 ? diagonal[c].item<double>() / total
                                     : std::numeric_limits<double>::quiet_NaN());
    }
    return accuracy;
}

double top1Accuracy(const at::Tensor& confusion) {
    at::Tensor counts = confusion.to(at::kDouble);
    double total = counts.sum().item<double>();
    return total > 0 ? counts.diagonal().sum().item<double>() / total : 0.0;
}

}  // namespace crl::analysis
