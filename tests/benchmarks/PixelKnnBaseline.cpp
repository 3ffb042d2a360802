// The raw-pixel baseline of the kNN monitor: the same weighted kNN (cosine, k = 20, T = 0.07)
// that the trainer reports as knn_top1, run on the raw 784 pixel values of Fashion-MNIST
// instead of a learned representation. A contrastive encoder is only worth its training time
// when its knn_top1 beats this number.

#include <chrono>
#include <cstdio>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include "analysis/KnnClassifier.h"
#include "data/DatasetSource.h"

int main() {
    at::set_num_threads(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    const auto start = std::chrono::steady_clock::now();
    crl::data::DatasetSplits splits =
        crl::data::loadDatasetSource(crl::data::kFashionMnistSource, {}, {1, 28});

    at::Tensor train = splits.train.images.reshape({splits.train.size(), -1}).to(at::kFloat);
    at::Tensor test = splits.test.images.reshape({splits.test.size(), -1}).to(at::kFloat);
    const double top1 = crl::analysis::knnTop1(train, splits.train.labels, test, splits.test.labels,
                                               10, {20, 0.07});

    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("raw-pixel kNN top-1 on Fashion-MNIST (k = 20, T = 0.07, cosine): %.4f (%.1f s)\n",
                top1, seconds);
    return 0;
}
