#pragma once
// The sub-commands of `crl`. Each returns the process exit code; user errors are reported on
// stderr as one message naming the file, node or value and the fix.

#include <cstdint>
#include <string>

namespace crl::cli {

struct TrainArgs {
    std::string project;
    int epochs = 0;                ///< 0 = the project's setting
    std::int64_t maxSamples = -1;  ///< -1 = the project's setting
    std::string device;            ///< empty = the project's setting
    std::int64_t seed = -1;        ///< -1 = the project's setting
    int batchSize = 0;
    int threads = 0;
    std::string out;
    std::string resume;
    bool quiet = false;
};

struct EmbedArgs {
    std::string project;
    std::string checkpoint;
    std::string split = "test";
    std::string kind = "representation";
    std::string out;
    std::string device = "auto";
};

struct EvalArgs {
    std::string project;
    std::string checkpoint;
    std::int64_t maxSamples = 0;  ///< train samples the probe and kNN use; 0 = all
    std::string out;              ///< empty = RUN/eval.json for RUN/checkpoints/FILE
    std::string device = "auto";
};

int runTrain(const TrainArgs& args);
int runValidate(const std::string& project);
int runEmbed(const EmbedArgs& args);
int runEval(const EvalArgs& args);
int runNodes(bool json);

}  // namespace crl::cli
