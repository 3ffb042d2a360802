#include "Commands.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analysis/EmbeddingExtraction.h"
#include "analysis/KnnClassifier.h"
#include "analysis/LinearProbe.h"
#include "common/Error.h"
#include "common/Log.h"
#include "data/DatasetSource.h"
#include "graph/GraphValidation.h"
#include "graph/NodeCatalogue.h"
#include "graph/Plan.h"
#include "io/AtomicFile.h"
#include "io/NpyFile.h"
#include "io/ProjectFile.h"
#include "train/Checkpoint.h"
#include "train/MonitorSettings.h"
#include "train/Trainer.h"

namespace crl::cli {
namespace {

train::RunControl* g_control = nullptr;

// Ctrl+C asks the trainer to stop after the current step; it then keeps a checkpoint.
void onInterrupt(int) {
    if (g_control != nullptr) {
        g_control->stop = true;
    }
}

void installStderrLog() {
    setLogSink([](LogLevel level, const std::string& message) {
        const char* prefix = level == LogLevel::Warning ? "warning: "
                             : level == LogLevel::Error ? "error: "
                                                        : "";
        std::cerr << prefix << message << '\n';
    });
}

std::string formatDuration(double seconds) {
    auto total = static_cast<long>(std::max(0.0, seconds));
    std::ostringstream out;
    out << total / 60 << "m" << std::setw(2) << std::setfill('0') << total % 60 << "s";
    return out.str();
}

std::string defaultRunFolder(const io::Project& project, const std::filesystem::path& projectPath) {
    std::time_t now = std::time(nullptr);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
    std::string stem = projectPath.stem().stem().string();
    return (std::filesystem::path("runs") / (stem + "-" + stamp)).string();
}

// Progress on the terminal: one rewritten line on a TTY, a line every few seconds otherwise.
class TerminalProgress : public train::RunSink {
public:
    explicit TerminalProgress(bool quiet) : m_quiet(quiet), m_tty(isatty(fileno(stderr)) != 0) {}

    void onEvent(const train::RunEvent& event) override {
        std::lock_guard lock(m_mutex);
        if (auto it = event.metrics.find("views_per_s"); it != event.metrics.end()) {
            m_viewsPerSecond = it->second;
        }
        if (m_quiet) {
            return;
        }
        using Kind = train::RunEvent::Kind;
        if (event.kind == Kind::Step) {
            const auto now = std::chrono::steady_clock::now();
            if (!m_tty && now - m_lastLine < std::chrono::seconds(5) &&
                event.step != event.totalSteps) {
                return;
            }
            m_lastLine = now;
            const double elapsed = std::chrono::duration<double>(now - m_start).count();
            const double eta = m_firstStep < 0
                                   ? 0.0
                                   : elapsed / std::max<double>(1.0, event.step - m_firstStep) *
                                         static_cast<double>(event.totalSteps - event.step);
            if (m_firstStep < 0) {
                m_firstStep = event.step - 1;
                m_start = now;
            }
            std::fprintf(
                stderr, "%sepoch %lld  step %lld/%lld  loss %.4f  lr %.2e  %.0f views/s  ETA %s%s",
                m_tty ? "\r" : "", static_cast<long long>(event.epoch),
                static_cast<long long>(event.step), static_cast<long long>(event.totalSteps),
                event.metrics.at("loss"), event.metrics.at("lr"), m_viewsPerSecond,
                formatDuration(eta).c_str(), m_tty ? "   " : "\n");
        } else if (event.kind == Kind::Epoch) {
            std::fprintf(stderr,
                         "%sepoch %lld done: kNN top-1 %.4f  alignment %.4f  uniformity %.4f  "
                         "collapse %.4f\n",
                         m_tty ? "\n" : "", static_cast<long long>(event.epoch),
                         event.metrics.at("knn_top1"), event.metrics.at("alignment"),
                         event.metrics.at("uniformity"), event.metrics.at("collapse"));
        } else if (event.kind == Kind::Checkpoint) {
            std::fprintf(stderr, "checkpoint: %s\n", event.text.c_str());
        }
    }

private:
    bool m_quiet;
    bool m_tty;
    std::mutex m_mutex;
    double m_viewsPerSecond = 0.0;
    std::int64_t m_firstStep = -1;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point m_lastLine;
};

template <typename Fn>
int guarded(Fn&& fn) {
    installStderrLog();
    try {
        return fn();
    } catch (const UserError& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    } catch (const c10::Error& e) {
        std::cerr << "error: " << e.what_without_backtrace() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 2;
    }
}

}  // namespace

int runTrain(const TrainArgs& args) {
    return guarded([&] {
        const std::filesystem::path projectPath = io::resolveProjectPath(args.project);
        io::Project project = io::loadProject(projectPath);
        train::RunSettings settings = project.run;
        if (args.epochs > 0)
            settings.epochs = args.epochs;
        if (args.maxSamples >= 0)
            settings.maxSamples = args.maxSamples;
        if (!args.device.empty())
            settings.device = args.device;
        if (args.seed >= 0)
            settings.seed = args.seed;
        if (args.batchSize > 0)
            settings.batchSize = args.batchSize;
        if (args.threads > 0)
            settings.threads = args.threads;

        train::TrainerOptions options;
        options.outDir = args.out.empty() ? defaultRunFolder(project, projectPath) : args.out;
        options.resumeFrom = args.resume;
        // A resumed run goes on in its own folder: RUN/checkpoints/last.pt continues RUN.
        const std::filesystem::path resumeFolder = std::filesystem::path(args.resume).parent_path();
        if (args.out.empty() && resumeFolder.filename() == "checkpoints")
            options.outDir = resumeFolder.parent_path();
        std::cerr << "training " << project.name << " (" << projectPath.string() << ")\n"
                  << "run folder: " << options.outDir.string() << '\n';

        train::RunControl control;
        g_control = &control;
        std::signal(SIGINT, onInterrupt);
        std::signal(SIGTERM, onInterrupt);
        TerminalProgress progress(args.quiet);
        train::Trainer trainer(project.graph, project.folder, settings, options);
        train::TrainResult result = trainer.run(progress, control);
        g_control = nullptr;

        std::printf("%s after %lld epochs (%lld steps) in %s on %s (CPU time %s)\n",
                    result.stopped ? "stopped" : "finished", static_cast<long long>(result.epochs),
                    static_cast<long long>(result.steps), formatDuration(result.seconds).c_str(),
                    result.device.c_str(), formatDuration(result.cpuSeconds).c_str());
        if (result.initialKnnTop1 >= 0) {
            std::printf("  knn_top1    %.4f   (random initialisation: %.4f)\n", result.knnTop1,
                        result.initialKnnTop1);
        } else {
            std::printf("  knn_top1    %.4f\n", result.knnTop1);
        }
        std::printf(
            "  alignment   %.4f\n  uniformity  %.4f\n  collapse    %.4f\n  views/s     %.0f\n",
            result.alignment, result.uniformity, result.collapse, result.viewsPerSecond);
        std::printf("  run folder  %s\n", options.outDir.string().c_str());
        return 0;
    });
}

int runValidate(const std::string& projectArg) {
    return guarded([&] {
        const std::filesystem::path projectPath = io::resolveProjectPath(projectArg);
        io::Project project = io::loadProject(projectPath);
        std::vector<graph::ValidationIssue> issues = graph::validate(project.graph);
        if (issues.empty()) {
            std::printf("%s: valid (%zu nodes, %zu edges)\n", projectPath.string().c_str(),
                        project.graph.nodes.size(), project.graph.edges.size());
            return 0;
        }
        for (const graph::ValidationIssue& issue : issues) {
            std::fprintf(stderr, "%s: %s\n", projectPath.string().c_str(),
                         issue.describe().c_str());
        }
        return 1;
    });
}

int runEmbed(const EmbedArgs& args) {
    return guarded([&] {
        const std::filesystem::path projectPath = io::resolveProjectPath(args.project);
        io::Project project = io::loadProject(projectPath);
        const c10::Device device(train::Trainer::resolveDevice(args.device));

        auto splits = train::loadPipelineData(project.graph, project.folder);
        const data::ImageDataset& split = args.split == "train" ? splits->train : splits->test;
        graph::Plan plan = graph::Plan::compile(project.graph, {split.channels(), split.height()});
        train::loadCheckpoint(args.checkpoint, plan, nullptr);
        plan.to(device);

        auto kind = args.kind == "embedding" ? analysis::EmbeddingKind::MetricEmbedding
                                             : analysis::EmbeddingKind::Representation;
        at::Tensor features =
            analysis::extractEmbeddings(plan, split.images, device, split.height(), kind);
        std::filesystem::path out = args.out;
        std::filesystem::path labelsPath = out;
        labelsPath.replace_extension(".labels.npy");
        if (out.has_parent_path()) {
            std::filesystem::create_directories(out.parent_path());
        }
        io::writeNpy(out, features.to(at::kFloat));
        io::writeNpy(labelsPath, split.labels);
        std::printf("wrote %s (%lld x %lld float32) and %s\n", out.string().c_str(),
                    static_cast<long long>(features.size(0)),
                    static_cast<long long>(features.size(1)), labelsPath.string().c_str());
        return 0;
    });
}

int runEval(const EvalArgs& args) {
    return guarded([&] {
        // Checked before the data set loads, so that a mistyped path fails at once.
        if (!std::filesystem::is_regular_file(args.checkpoint)) {
            throw DataError("checkpoint " + args.checkpoint +
                            " does not exist; pass a run's checkpoints/last.pt");
        }
        const std::filesystem::path projectPath = io::resolveProjectPath(args.project);
        io::Project project = io::loadProject(projectPath);
        const train::RunSettings settings = train::withMonitorNodes(project.graph, project.run);
        const c10::Device device(train::Trainer::resolveDevice(args.device));

        auto splits = train::loadPipelineData(project.graph, project.folder);
        const data::ImageDataset& trainSplit = splits->train;
        const data::ImageDataset& testSplit = splits->test;
        graph::Plan plan =
            graph::Plan::compile(project.graph, {trainSplit.channels(), trainSplit.height()});
        train::loadCheckpoint(args.checkpoint, plan, nullptr);
        plan.to(device);

        // The first N train samples, like `crl train --max-samples`; the test split is whole.
        std::int64_t trainCount = trainSplit.size();
        if (args.maxSamples > 0)
            trainCount = std::min(trainCount, args.maxSamples);
        at::Tensor trainLabels = trainSplit.labels.narrow(0, 0, trainCount);
        at::Tensor trainV = analysis::extractEmbeddings(
            plan, trainSplit.images.narrow(0, 0, trainCount), device, trainSplit.height());
        at::Tensor testV =
            analysis::extractEmbeddings(plan, testSplit.images, device, testSplit.height());
        const std::int64_t numClasses = std::max(trainLabels.max().item<std::int64_t>(),
                                                 testSplit.labels.max().item<std::int64_t>()) +
                                        1;

        analysis::KnnOptions knnOptions;
        knnOptions.k = settings.knnK;
        knnOptions.temperature = settings.knnTemperature;
        const double knnTop1 =
            analysis::knnTop1(trainV, trainLabels, testV, testSplit.labels, numClasses, knnOptions);
        analysis::LinearProbeResult probe = analysis::linearProbe(
            trainV.to(at::kCPU), trainLabels, testV.to(at::kCPU), testSplit.labels, numClasses);

        std::printf("train samples %lld, test samples %lld, representation v: %lld dims\n",
                    static_cast<long long>(trainCount), static_cast<long long>(testSplit.size()),
                    static_cast<long long>(trainV.size(1)));
        std::printf("knn_top1 %.4f (k %d, T %g)\n", knnTop1, settings.knnK,
                    settings.knnTemperature);
        std::printf("linear_probe_top1 %.4f\n", probe.top1);
        const std::vector<std::string>& names = testSplit.classNames;
        for (std::size_t c = 0; c < probe.perClassAccuracy.size(); ++c) {
            const std::string name = c < names.size() ? names[c] : std::to_string(c);
            std::printf("  class %zu %-12s %.4f\n", c, name.c_str(), probe.perClassAccuracy[c]);
        }

        nlohmann::ordered_json report;
        report["checkpoint"] = std::filesystem::absolute(args.checkpoint).string();
        report["project"] = projectPath.string();
        report["train_samples"] = trainCount;
        report["test_samples"] = testSplit.size();
        report["class_names"] = testSplit.classNames;
        report["knn"] = {
            {"k", settings.knnK}, {"temperature", settings.knnTemperature}, {"top1", knnTop1}};
        nlohmann::ordered_json confusion = nlohmann::ordered_json::array();
        at::Tensor counts = probe.confusion.contiguous();
        for (std::int64_t row = 0; row < counts.size(0); ++row) {
            at::Tensor line = counts[row];
            confusion.push_back(std::vector<std::int64_t>(
                line.data_ptr<std::int64_t>(), line.data_ptr<std::int64_t>() + line.numel()));
        }
        report["linear_probe"] = {{"top1", probe.top1},
                                  {"per_class_accuracy", probe.perClassAccuracy},
                                  {"confusion", confusion}};

        std::filesystem::path out = args.out;
        if (out.empty()) {
            // RUN/checkpoints/last.pt -> RUN/eval.json; any other checkpoint -> beside it.
            std::filesystem::path folder = std::filesystem::path(args.checkpoint).parent_path();
            if (folder.filename() == "checkpoints")
                folder = folder.parent_path();
            out = folder / "eval.json";
        }
        if (out.has_parent_path())
            std::filesystem::create_directories(out.parent_path());
        io::writeTextAtomically(out, report.dump(2) + "\n");
        std::printf("wrote %s\n", out.string().c_str());
        return 0;
    });
}

int runNodes(bool json) {
    return guarded([&] {
        nlohmann::ordered_json all = nlohmann::ordered_json::array();
        for (const graph::NodeType& type : graph::NodeCatalogue::instance().types()) {
            if (!json) {
                std::printf("%-28s %-18s %-8s %s\n", type.id.c_str(),
                            std::string(graph::toString(type.family)).c_str(),
                            type.surveySection.c_str(), type.title.c_str());
                continue;
            }
            nlohmann::ordered_json entry;
            entry["id"] = type.id;
            entry["family"] = graph::toString(type.family);
            entry["title"] = type.title;
            entry["survey_section"] = type.surveySection;
            entry["help"] = type.help;
            for (const auto* ports : {&type.inputs, &type.outputs}) {
                auto& list = entry[ports == &type.inputs ? "inputs" : "outputs"] =
                    nlohmann::ordered_json::array();
                for (const graph::PortSpec& port : *ports) {
                    list.push_back({{"name", port.name},
                                    {"type", graph::toString(port.type)},
                                    {"help", port.help}});
                }
            }
            auto& params = entry["params"] = nlohmann::ordered_json::array();
            for (const graph::ParamSpec& p : type.params) {
                params.push_back({{"name", p.name},
                                  {"default", graph::toString(p.defaultValue)},
                                  {"min", p.minimum},
                                  {"max", p.maximum},
                                  {"unit", p.unit},
                                  {"help", p.help}});
            }
            all.push_back(entry);
        }
        if (json) {
            std::printf("%s\n", all.dump(2).c_str());
        }
        return 0;
    });
}

}  // namespace crl::cli
