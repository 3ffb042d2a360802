#pragma once
// Weighted k-nearest-neighbour classification of representations (Wu et al. 2018, InstDisc),
// the standard monitor of contrastive training: cosine similarity to every train feature, the
// k most similar vote for their label with weight exp(s / T), the label with most weight wins.

#include <ATen/Tensor.h>

namespace crl::analysis {

struct KnnOptions {
    std::int64_t k = 20;
    double temperature = 0.07;
    std::int64_t chunk = 1024;  ///< test rows scored at once; bounds memory to chunk x N_train
};

/// Predicted labels (N_test) for test features given labelled train features.
at::Tensor knnPredict(const at::Tensor& trainFeatures, const at::Tensor& trainLabels,
                      const at::Tensor& testFeatures, std::int64_t numClasses,
                      const KnnOptions& options);

/// Fraction of test samples whose predicted label equals the true one.
double knnTop1(const at::Tensor& trainFeatures, const at::Tensor& trainLabels,
               const at::Tensor& testFeatures, const at::Tensor& testLabels,
               std::int64_t numClasses, const KnnOptions& options);

}  // namespace crl::analysis
