#pragma once
// The linear probe of self-supervised evaluation (survey: evaluation protocol; Chen et al. 2020,
// SimCLR): a multinomial logistic regression trained on frozen representations v of the train
// split and scored on the test split. Features are standardised with the train split's mean and
// standard deviation; the objective is
//     mean cross-entropy + (weightDecay / 2) * ||W||^2      (the bias is not penalised),
// minimised full-batch with L-BFGS. It equals scikit-learn's LogisticRegression(C) with
// C = 1 / (weightDecay * N_train).

#include <vector>

#include <ATen/Tensor.h>

namespace crl::analysis {

struct LinearProbeOptions {
    double weightDecay = 1e-4;  ///< L2 strength on the weights, per the mean loss
    int iterations = 500;       ///< L-BFGS iterations, full batch
    double tolerance = 1e-9;    ///< stop when the gradient's largest entry falls below this
};

struct LinearProbeResult {
    double top1 = 0.0;
    std::vector<double> perClassAccuracy;  ///< NaN for a class absent from the test split
    at::Tensor confusion;                  ///< int64 (classes, classes): rows true, cols predicted
    at::Tensor predictions;                ///< int64 (N_test)
    at::Tensor weight;                     ///< float64 (classes, d), on standardised features
    at::Tensor bias;                       ///< float64 (classes)
};

/// Trains the probe on (trainFeatures (N, d), trainLabels (N)) and scores it on the test split.
/// Throws UserError for mismatched shapes, labels outside [0, numClasses) or bad options.
LinearProbeResult linearProbe(const at::Tensor& trainFeatures, const at::Tensor& trainLabels,
                              const at::Tensor& testFeatures, const at::Tensor& testLabels,
                              std::int64_t numClasses, const LinearProbeOptions& options = {});

}  // namespace crl::analysis
