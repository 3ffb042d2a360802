#pragma once
// Runs a compiled pipeline: loads the data set its data node names, prepares batches ahead on
// a worker thread, makes the views on the training device, minimises the loss with the
// optimiser node's settings, and reports run events (per step loss, lr and views/s; every K
// steps alignment, uniformity and the collapse indicator on held-out positive pairs; per epoch
// the kNN top-1 of the representation v on the test split). Writes the run folder
// (metrics.jsonl, summary.json, checkpoints/) when given one, and resumes from a checkpoint
// exactly where it stopped. The GUI's worker, the CLI and the tests all run this class.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "data/ImageDataset.h"
#include "graph/PipelineGraph.h"
#include "train/RunEvents.h"
#include "train/RunSettings.h"

namespace crl::train {

struct TrainerOptions {
    std::filesystem::path outDir;      ///< run folder; empty writes no files
    std::filesystem::path resumeFrom;  ///< checkpoint to continue from; empty starts fresh
    /// Already loaded data; when null the trainer loads what the data node names.
    std::shared_ptr<const data::DatasetSplits> data;
};

struct TrainResult {
    double knnTop1 = 0.0;
    double initialKnnTop1 = -1.0;  ///< kNN of the randomly initialised encoder; -1 when resumed
    double alignment = 0.0;
    double uniformity = 0.0;
    double collapse = 0.0;
    double lastLoss = 0.0;
    std::int64_t epochs = 0;  ///< epochs completed
    std::int64_t steps = 0;
    double seconds = 0.0;     ///< wall time
    double cpuSeconds = 0.0;  ///< CPU time of the process over the run (all threads)
    double viewsPerSecond = 0.0;
    bool stopped = false;
    std::string device;
    std::filesystem::path lastCheckpoint;
};

class Trainer {
public:
    Trainer(graph::PipelineGraph graph, std::filesystem::path projectFolder, RunSettings settings,
            TrainerOptions options);

    /// Trains until the planned epochs are done or `control.stop` is set. Throws UserError (or a
    /// subclass) for bad data, an invalid graph or a diverging loss.
    TrainResult run(RunSink& sink, RunControl& control);

    /// "cpu" or "cuda" for a setting of auto | cpu | cuda; throws UserError for cuda without one.
    static std::string resolveDevice(const std::string& setting);

private:
    graph::PipelineGraph m_graph;
    std::filesystem::path m_projectFolder;
    RunSettings m_settings;
    TrainerOptions m_options;
};

/// Loads the data set a pipeline's data node names (both splits).
std::shared_ptr<const data::DatasetSplits> loadPipelineData(
    const graph::PipelineGraph& graph, const std::filesystem::path& projectFolder);

}  // namespace crl::train
