#pragma once
// How a pipeline is trained and monitored: the project's "run" section. Torch-free.

#include <cstdint>
#include <string>

namespace crl::train {

struct RunSettings {
    int epochs = 20;
    int batchSize = 256;  ///< N samples; each gives a query and a key view
    std::int64_t seed = 1;
    std::string device = "auto";  ///< auto | cpu | cuda
    int threads = 0;              ///< intra-op threads; 0 = all cores available
    int metricsEvery = 50;        ///< steps between alignment/uniformity measurements
    int monitorSamples = 1024;    ///< held-out positive pairs for alignment/uniformity
    int knnK = 20;
    double knnTemperature = 0.07;
    std::int64_t maxSamples = 0;      ///< train samples used; 0 = all
    std::int64_t maxEvalSamples = 0;  ///< test samples used for kNN; 0 = all
    int checkpointEvery = 1;          ///< epochs between checkpoints

    bool operator==(const RunSettings&) const = default;
};

}  // namespace crl::train
