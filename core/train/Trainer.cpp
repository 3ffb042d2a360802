#include "train/Trainer.h"

#include <sched.h>
#include <time.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <thread>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/utils.h>
#include <nlohmann/json.hpp>

#include "analysis/EmbeddingExtraction.h"
#include "analysis/KnnClassifier.h"
#include "augment/ViewAugmenter.h"
#include "common/Error.h"
#include "common/Log.h"
#include "data/BatchPrefetcher.h"
#include "data/DatasetSource.h"
#include "graph/NodeCatalogue.h"
#include "graph/Plan.h"
#include "io/AtomicFile.h"
#include "train/Checkpoint.h"
#include "train/MonitorSettings.h"
#include "train/Monitors.h"
#include "train/Optimisers.h"

namespace crl::train {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of the whole process (all threads), in seconds: on a shared machine the honest
// measure of how much training a result cost, where wall time also counts other people's work.
double processCpuSeconds() {
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// A distinct, reproducible seed for each (run seed, purpose, index).
std::uint64_t mixSeed(std::int64_t seed, std::uint64_t purpose, std::int64_t index) {
    std::uint64_t x = static_cast<std::uint64_t>(seed) * 0x9E3779B97F4A7C15ULL ^ purpose;
    x ^= static_cast<std::uint64_t>(index) + 0x632BE59BD9B4E019ULL + (x << 6) + (x >> 2);
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDULL;
    x ^= x >> 33;
    return x;
}

// Cores this process may run on (its affinity mask, which containers and taskset narrow),
// rather than every core of the machine.
int availableCores() {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        return std::max(1, CPU_COUNT(&set));
    }
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

constexpr std::uint64_t kAugmentStream = 0xA11;
constexpr std::uint64_t kMonitorStream = 0xB22;

OptimiserSpec optimiserSpec(const graph::PipelineGraph& g, const graph::Node& node) {
    OptimiserSpec spec;
    spec.algorithm = g.text(node, "algorithm");
    spec.lr = g.real(node, "lr");
    spec.momentum = g.real(node, "momentum");
    spec.weightDecay = g.real(node, "weight_decay");
    spec.warmupEpochs = g.real(node, "warmup_epochs");
    spec.schedule = g.text(node, "schedule");
    return spec;
}

// Appends run events to metrics.jsonl, one JSON object per line.
class MetricsLog {
public:
    MetricsLog(const std::filesystem::path& path, bool append)
        : m_out(path, append ? std::ios::app : std::ios::trunc) {
        if (!m_out) {
            throw UserError("cannot write " + path.string() + "; choose a writable --out folder");
        }
    }

    void write(const RunEvent& event) {
        nlohmann::ordered_json line;
        static const char* kinds[] = {"step",       "monitor", "epoch",
                                      "checkpoint", "message", "finished"};
        line["event"] = kinds[static_cast<int>(event.kind)];
        line["step"] = event.step;
        line["epoch"] = event.epoch;
        for (const auto& [name, value] : event.metrics) {
            line[name] = std::isfinite(value) ? nlohmann::ordered_json(value)
                                              : nlohmann::ordered_json(nullptr);
        }
        if (!event.text.empty()) {
            line["text"] = event.text;
        }
        m_out << line.dump() << '\n';
        m_out.flush();
    }

private:
    std::ofstream m_out;
};

// A resumed run continues the same run: the batch order and views follow the seed, and the
// schedule the planned length, so a checkpoint of another seed or length would silently become
// a different run.
void checkResumable(const std::filesystem::path& path, const CheckpointState& state,
                    std::int64_t seed, std::int64_t totalSteps) {
    if (state.seed != seed || state.totalSteps != totalSteps) {
        throw UserError("checkpoint " + path.string() + " belongs to a run with seed " +
                        std::to_string(state.seed) + " and " + std::to_string(state.totalSteps) +
                        " planned steps, but this run has seed " + std::to_string(seed) + " and " +
                        std::to_string(totalSteps) +
                        " steps; resume with the run's own --seed, --epochs, --batch-size and "
                        "--max-samples, or start a new run without --resume");
    }
    if (state.step >= totalSteps) {
        throw UserError("checkpoint " + path.string() + " is at step " +
                        std::to_string(state.step) + " of " + std::to_string(totalSteps) +
                        ": that run is complete and there is nothing to resume; start a new run "
                        "to train longer");
    }
}

}  // namespace

std::shared_ptr<const data::DatasetSplits> loadPipelineData(
    const graph::PipelineGraph& graph, const std::filesystem::path& projectFolder) {
    for (const graph::Node& node : graph.nodes) {
        const graph::NodeType* type = graph::NodeCatalogue::instance().find(node.type);
        if (type != nullptr && type->family == graph::Family::Data) {
            data::ImageFolderOptions options;
            options.channels = static_cast<int>(graph.integer(node, "channels"));
            options.size = static_cast<int>(graph.integer(node, "size"));
            data::LoadReport report;
            auto splits = std::make_shared<data::DatasetSplits>(data::loadDatasetSource(
                graph.text(node, "source"), projectFolder, options, &report));
            if (!report.clean()) {
                logWarning(report.summary());
            }
            return splits;
        }
    }
    throw ProjectError("the pipeline has no data-set node");
}

Trainer::Trainer(graph::PipelineGraph graph, std::filesystem::path projectFolder,
                 RunSettings settings, TrainerOptions options)
    : m_graph(std::move(graph)),
      m_projectFolder(std::move(projectFolder)),
      m_settings(withMonitorNodes(m_graph, std::move(settings))),
      m_options(std::move(options)) {}

std::string Trainer::resolveDevice(const std::string& setting) {
    if (setting == "cpu") {
        return "cpu";
    }
    if (setting == "cuda") {
        if (!torch::cuda::is_available()) {
            throw UserError(
                "device 'cuda' was asked for but no CUDA device is available to this build; "
                "use --device cpu or auto");
        }
        return "cuda";
    }
    if (setting == "auto") {
        return torch::cuda::is_available() ? "cuda" : "cpu";
    }
    throw UserError("unknown device '" + setting + "'; use auto, cpu or cuda");
}

TrainResult Trainer::run(RunSink& sink, RunControl& control) {
    const Clock::time_point started = Clock::now();
    const double cpuAtStart = processCpuSeconds();
    const RunSettings& s = m_settings;
    if (s.batchSize < 2) {
        throw UserError(
            "batch size " + std::to_string(s.batchSize) +
            " leaves a query without in-batch negatives; use a batch size of at least 2");
    }
    const int threads = s.threads > 0 ? s.threads : availableCores();
    at::set_num_threads(threads);
    const std::string deviceName = resolveDevice(s.device);
    const c10::Device device(deviceName);

    // The data set, cut to the requested sizes.
    std::shared_ptr<const data::DatasetSplits> splits =
        m_options.data ? m_options.data : loadPipelineData(m_graph, m_projectFolder);
    const data::ImageDataset train = splits->train.head(s.maxSamples);
    const data::ImageDataset test = splits->test.head(s.maxEvalSamples);
    if (train.size() < 2) {
        throw DataError("the training split of " + splits->train.origin + " has " +
                        std::to_string(train.size()) +
                        " images; contrastive training needs at least 2");
    }
    const std::int64_t numClasses =
        std::max<std::int64_t>(static_cast<std::int64_t>(splits->train.classNames.size()),
                               train.labels.max().item<std::int64_t>() + 1);

    // The plan, its optimiser and schedule.
    at::manual_seed(static_cast<std::uint64_t>(s.seed));
    graph::Plan plan = graph::Plan::compile(m_graph, {train.channels(), train.height()});
    plan.to(device);
    OptimiserSpec spec = optimiserSpec(m_graph, plan.optimiserNode());
    std::unique_ptr<torch::optim::Optimizer> optimiser = makeOptimiser(spec, plan.parameters());
    const std::int64_t stepsPerEpoch =
        data::BatchPrefetcher::stepsPerEpoch(train.size(), s.batchSize);
    std::int64_t totalSteps = stepsPerEpoch * s.epochs;

    std::int64_t firstStep = 0;
    if (!m_options.resumeFrom.empty()) {
        CheckpointState state = loadCheckpoint(m_options.resumeFrom, plan, optimiser.get(), device);
        checkResumable(m_options.resumeFrom, state, s.seed, totalSteps);
        firstStep = state.step;
        logInfo("resuming from " + m_options.resumeFrom.string() + " at step " +
                std::to_string(firstStep));
    }
    LearningRateSchedule schedule(spec, stepsPerEpoch, totalSteps);

    // Run folder.
    std::unique_ptr<MetricsLog> metricsLog;
    if (!m_options.outDir.empty()) {
        std::filesystem::create_directories(m_options.outDir / "checkpoints");
        metricsLog =
            std::make_unique<MetricsLog>(m_options.outDir / "metrics.jsonl", firstStep > 0);
    }
    auto emit = [&](const RunEvent& event) {
        if (metricsLog) {
            metricsLog->write(event);
        }
        sink.onEvent(event);
    };

    // Held-out positive pairs for alignment and uniformity: the same views at every measurement.
    const data::ImageDataset& monitorSource = test.size() >= 2 ? test : train;
    at::Tensor monitorImages =
        monitorSource.images
            .narrow(0, 0, std::min<std::int64_t>(s.monitorSamples, monitorSource.size()))
            .to(device);
    at::Tensor monitorQuery, monitorKey;
    {
        graph::StepContext context{
            at::detail::createCPUGenerator(mixSeed(s.seed, kMonitorStream, 0)), false, 0};
        std::map<std::string, graph::PortValue> seeds{{plan.imagesPort(), {monitorImages, {}}}};
        auto values = plan.run(seeds, context, plan.viewsPort());
        monitorQuery = values.at(plan.viewsPort()).query;
        monitorKey = values.at(plan.viewsPort()).key;
    }

    TrainResult result;
    result.device = deviceName;
    auto measureMonitors = [&](RunEvent& event) {
        plan.train(false);
        graph::PortValue z = plan.embed(monitorQuery, monitorKey);
        plan.train(true);
        result.alignment = alignment(z.query, z.key);
        result.uniformity = uniformity(z.query);
        result.collapse = collapseIndicator(z.query);
        event.metrics["alignment"] = result.alignment;
        event.metrics["uniformity"] = result.uniformity;
        event.metrics["collapse"] = result.collapse;
    };
    auto measureKnn = [&]() {
        if (test.size() == 0) {
            return std::nan("");
        }
        // Stop is honoured here too: a kNN pass over 70k images takes seconds on a CPU.
        const auto kind = analysis::EmbeddingKind::Representation;
        at::Tensor trainFeatures = analysis::extractEmbeddings(
            plan, train.images, device, train.height(), kind, 1024, &control.stop);
        at::Tensor testFeatures = analysis::extractEmbeddings(
            plan, test.images, device, train.height(), kind, 1024, &control.stop);
        if (!trainFeatures.defined() || !testFeatures.defined()) {
            return std::nan("");
        }
        analysis::KnnOptions knn{s.knnK, s.knnTemperature};
        return analysis::knnTop1(trainFeatures, train.labels.to(device), testFeatures,
                                 test.labels.to(device), numClasses, knn);
    };
    auto checkpoint = [&](std::int64_t step, std::int64_t epochsDone, const std::string& name) {
        if (m_options.outDir.empty()) {
            return;
        }
        std::filesystem::path path = m_options.outDir / "checkpoints" / name;
        saveCheckpoint(path, plan, optimiser.get(), {step, epochsDone, s.seed, totalSteps});
        result.lastCheckpoint = path;
        RunEvent event{RunEvent::Kind::Checkpoint, step, epochsDone, totalSteps, {}, path.string()};
        emit(event);
    };

    if (firstStep == 0) {
        result.initialKnnTop1 = measureKnn();
        RunEvent event{
            RunEvent::Kind::Epoch, 0, 0, totalSteps, {{"knn_top1", result.initialKnnTop1}}, ""};
        measureMonitors(event);
        emit(event);
    }

    // The training loop; batches arrive prepared by the prefetcher.
    plan.train(true);
    data::BatchPrefetcher prefetcher(train, s.batchSize, s.seed, s.epochs, firstStep, device);
    std::int64_t step = firstStep;
    double epochLoss = 0.0;
    std::int64_t epochSteps = 0;
    std::int64_t viewsInWindow = 0;
    Clock::time_point windowStart = Clock::now();
    // Training throughput counts the wait for data but not monitors, kNN and checkpoints.
    double trainingSeconds = 0.0;
    std::int64_t trainingViews = 0;
    Clock::time_point stepStart = Clock::now();

    while (std::optional<data::Batch> batch = prefetcher.next()) {
        while (control.pause.load() && !control.stop.load()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            windowStart = Clock::now();
            stepStart = Clock::now();
        }
        if (control.stop.load()) {
            result.stopped = true;
            break;
        }

        // One optimiser step on the views of this batch.
        const double lr = schedule.at(step);
        LearningRateSchedule::apply(*optimiser, lr);
        graph::StepContext context{
            at::detail::createCPUGenerator(mixSeed(s.seed, kAugmentStream, step)), true, step};
        auto values = plan.run(
            {{plan.imagesPort(), {batch->images, {}}}, {plan.labelsPort(), {batch->labels, {}}}},
            context);
        at::Tensor loss = values.at(plan.lossPort()).query;
        const double lossValue = loss.item<double>();
        if (!std::isfinite(lossValue)) {
            throw UserError("the loss became " + std::to_string(lossValue) + " at step " +
                            std::to_string(step + 1) +
                            "; lower the learning rate, raise the temperature or train in fp32");
        }
        optimiser->zero_grad();
        loss.backward();
        optimiser->step();
        plan.afterOptimiserStep(step, totalSteps);
        ++step;

        const std::int64_t views = 2 * batch->images.size(0);
        trainingSeconds += secondsSince(stepStart);
        trainingViews += views;
        viewsInWindow += views;
        epochLoss += lossValue;
        ++epochSteps;
        result.lastLoss = lossValue;

        RunEvent event{RunEvent::Kind::Step,
                       step,
                       batch->epoch + 1,
                       totalSteps,
                       {{"loss", lossValue}, {"lr", lr}},
                       ""};
        const double window = secondsSince(windowStart);
        if (window > 0.5 || step % 10 == 0) {
            event.metrics["views_per_s"] =
                static_cast<double>(viewsInWindow) / std::max(window, 1e-9);
            viewsInWindow = 0;
            windowStart = Clock::now();
        }
        if (s.metricsEvery > 0 && step % s.metricsEvery == 0) {
            measureMonitors(event);
            // Throughput counts training only: the next window starts after the monitors.
            windowStart = Clock::now();
            viewsInWindow = 0;
        }
        emit(event);

        // End of an epoch: kNN of v on the test split, a checkpoint.
        if (step % stepsPerEpoch == 0) {
            const std::int64_t epochsDone = step / stepsPerEpoch;
            RunEvent epochEvent{RunEvent::Kind::Epoch, step, epochsDone, totalSteps, {}, ""};
            // NaN: the pass was stopped (or there is no test split); the last value stands.
            if (const double knn = measureKnn(); !std::isnan(knn)) {
                result.knnTop1 = knn;
                epochEvent.metrics["knn_top1"] = knn;
            }
            epochEvent.metrics["epoch_loss"] =
                epochLoss / static_cast<double>(std::max<std::int64_t>(1, epochSteps));
            epochEvent.metrics["seconds"] = secondsSince(started);
            epochEvent.metrics["cpu_seconds"] = processCpuSeconds() - cpuAtStart;
            measureMonitors(epochEvent);
            emit(epochEvent);
            epochLoss = 0.0;
            epochSteps = 0;
            result.epochs = epochsDone;
            if (s.checkpointEvery > 0 &&
                (epochsDone % s.checkpointEvery == 0 || epochsDone == s.epochs)) {
                checkpoint(step, epochsDone, "last.pt");
            }
            windowStart = Clock::now();
            viewsInWindow = 0;
        }
        stepStart = Clock::now();
    }

    // A stop mid-epoch keeps a checkpoint of exactly where the run stands.
    result.steps = step;
    if (result.stopped && step > firstStep) {
        checkpoint(step, step / stepsPerEpoch, "last.pt");
    }
    result.seconds = secondsSince(started);
    result.cpuSeconds = processCpuSeconds() - cpuAtStart;
    result.viewsPerSecond =
        trainingSeconds > 0 ? static_cast<double>(trainingViews) / trainingSeconds : 0.0;

    RunEvent finished{RunEvent::Kind::Finished,
                      step,
                      result.epochs,
                      totalSteps,
                      {{"knn_top1", result.knnTop1},
                       {"alignment", result.alignment},
                       {"uniformity", result.uniformity},
                       {"collapse", result.collapse},
                       {"seconds", result.seconds},
                       {"views_per_s", result.viewsPerSecond}},
                      result.stopped ? "stopped" : "completed"};
    emit(finished);

    if (!m_options.outDir.empty()) {
        nlohmann::ordered_json summary;
        summary["knn_top1"] = result.knnTop1;
        summary["initial_knn_top1"] = result.initialKnnTop1;
        summary["alignment"] = result.alignment;
        summary["uniformity"] = result.uniformity;
        summary["collapse"] = result.collapse;
        summary["epochs"] = result.epochs;
        summary["steps"] = result.steps;
        summary["seconds"] = result.seconds;
        summary["cpu_seconds"] = result.cpuSeconds;
        summary["views_per_s"] = result.viewsPerSecond;
        summary["device"] = deviceName;
        summary["threads"] = threads;
        summary["stopped"] = result.stopped;
        summary["checkpoint"] = result.lastCheckpoint.string();
        io::writeTextAtomically(m_options.outDir / "summary.json", summary.dump(2) + "\n");
    }
    return result;
}

}  // namespace crl::train
