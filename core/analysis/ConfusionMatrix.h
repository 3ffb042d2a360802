#pragma once
// Scores of a classifier's predictions against the true labels, shared by the kNN monitor and
// the linear probe: top-1 accuracy, the confusion matrix and the accuracy of each class.

#include <vector>

#include <ATen/Tensor.h>

namespace crl::analysis {

/// int64 (classes, classes): entry (t, p) counts the samples of true class t predicted as p.
at::Tensor confusionMatrix(const at::Tensor& predicted, const at::Tensor& trueLabels,
                           std::int64_t numClasses);

/// Per row of a confusion matrix, the fraction on the diagonal; NaN for a class with no sample.
std::vector<double> perClassAccuracy(const at::Tensor& confusion);

/// Fraction of samples on the diagonal of a confusion matrix; 0 for an empty one.
double top1Accuracy(const at::Tensor& confusion);

}  // namespace crl::analysis
