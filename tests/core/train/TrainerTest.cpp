// The trainer on real Fashion-MNIST subsets: a short run lowers the loss and beats the randomly
// initialised encoder's kNN accuracy, the run folder holds what `crl train` promises, and a run
// stopped and resumed from its checkpoint reproduces the uninterrupted run's losses exactly, also
// with momentum key copies and a MoCo key queue.

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <mutex>

#include <nlohmann/json.hpp>

#include "MonitorOften.h"
#include "common/Error.h"
#include "data/DatasetSource.h"
#include "io/ProjectFile.h"
#include "train/Trainer.h"

using namespace crl;

namespace {

// Records the loss of every step; optionally asks the run to stop after a given step.
class LossRecorder : public train::RunSink {
public:
    explicit LossRecorder(train::RunControl* control = nullptr, std::int64_t stopAfter = -1)
        : m_control(control), m_stopAfter(stopAfter) {}

    void onEvent(const train::RunEvent& event) override {
        std::lock_guard lock(m_mutex);
        if (event.kind == train::RunEvent::Kind::Step) {
            losses[event.step] = event.metrics.at("loss");
            if (m_control != nullptr && event.step == m_stopAfter) {
                m_control->stop = true;
            }
        }
        if (event.kind == train::RunEvent::Kind::Epoch) {
            epochEvents.push_back(event);
        }
        if (event.kind == train::RunEvent::Kind::Monitor || event.metrics.count("alignment") != 0) {
            sawMonitors = true;
        }
    }

    std::map<std::int64_t, double> losses;
    std::vector<train::RunEvent> epochEvents;
    bool sawMonitors = false;

private:
    std::mutex m_mutex;
    train::RunControl* m_control;
    std::int64_t m_stopAfter;
};

io::Project defaultProject() {
    io::Project project =
        io::loadProject(std::filesystem::path(CRL_SOURCE_DIR) / "projects/simclr-fashion-mnist");
    testing::monitorOften(project.graph, 4, 128);
    return project;
}

// Small settings that keep each run to a few seconds on two cores.
train::RunSettings smallRun(int epochs) {
    train::RunSettings s;
    s.epochs = epochs;
    s.batchSize = 64;
    s.seed = 7;
    s.device = "cpu";
    s.threads = 2;
    s.maxSamples = 512;
    s.maxEvalSamples = 500;
    return s;
}

}  // namespace

class TrainerTest : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<const data::DatasetSplits> m_data;

    /// One run three ways: straight through, stopped after step 5 (a checkpoint of that step),
    /// and resumed from that checkpoint. The folders live as long as the struct.
    struct StopAndResume {
        QTemporaryDir straightDir;
        QTemporaryDir stoppedDir;
        LossRecorder straight;
        LossRecorder resumed;
        train::TrainResult uninterrupted;
        train::TrainResult first;
        train::TrainResult second;
    };

    void stopAndResume(const io::Project& project, const train::RunSettings& settings,
                       StopAndResume& run) {
        train::RunControl straightControl;
        run.uninterrupted = train::Trainer(project.graph, project.folder, settings,
                                           {run.straightDir.path().toStdString(), {}, m_data})
                                .run(run.straight, straightControl);
        QCOMPARE(run.straight.losses.size(), std::size_t(16));

        train::RunControl stopControl;
        LossRecorder stopped(&stopControl, 5);
        run.first = train::Trainer(project.graph, project.folder, settings,
                                   {run.stoppedDir.path().toStdString(), {}, m_data})
                        .run(stopped, stopControl);
        QVERIFY(run.first.stopped);
        QCOMPARE(run.first.steps, 5);

        train::RunControl resumeControl;
        run.second =
            train::Trainer(project.graph, project.folder, settings,
                           {run.stoppedDir.path().toStdString(), run.first.lastCheckpoint, m_data})
                .run(run.resumed, resumeControl);
        QCOMPARE(run.second.steps, 16);
        QCOMPARE(run.resumed.losses.begin()->first, 6);
        // Bit-identical losses: the resumed run continues the same run, not a similar one.
        for (const auto& [step, loss] : run.resumed.losses) {
            QVERIFY2(loss == run.straight.losses.at(step),
                     qPrintable(QString("step %1: resumed %2, uninterrupted %3")
                                    .arg(step)
                                    .arg(loss, 0, 'g', 17)
                                    .arg(run.straight.losses.at(step), 0, 'g', 17)));
        }
    }

private slots:
    void initTestCase() {
        io::Project project = defaultProject();
        m_data = train::loadPipelineData(project.graph, project.folder);
        QCOMPARE(m_data->train.size(), 60000);
        QCOMPARE(m_data->test.size(), 10000);
    }

    void shortRunLowersLossAndBeatsRandomEncoder() {
        io::Project project = defaultProject();
        QTemporaryDir out;
        train::TrainerOptions options{out.path().toStdString(), {}, m_data};
        train::Trainer trainer(project.graph, project.folder, smallRun(4), options);
        LossRecorder recorder;
        train::RunControl control;
        train::TrainResult result = trainer.run(recorder, control);

        QCOMPARE(result.steps, 4 * 8);
        QVERIFY(recorder.sawMonitors);
        auto mean = [&](std::int64_t from, std::int64_t to) {
            double sum = 0.0;
            for (std::int64_t step = from; step <= to; ++step) {
                sum += recorder.losses.at(step);
            }
            return sum / static_cast<double>(to - from + 1);
        };
        QVERIFY2(
            mean(25, 32) < mean(1, 8) - 0.3,
            qPrintable(QString("first epoch %1, last epoch %2").arg(mean(1, 8)).arg(mean(25, 32))));
        QVERIFY2(
            result.knnTop1 > result.initialKnnTop1,
            qPrintable(
                QString("trained %1, random %2").arg(result.knnTop1).arg(result.initialKnnTop1)));

        // The run folder: metrics.jsonl with the monitors, summary.json, a checkpoint.
        std::ifstream metrics(out.filePath("metrics.jsonl").toStdString());
        bool alignment = false, uniformity = false, knn = false;
        for (std::string line; std::getline(metrics, line);) {
            nlohmann::json event = nlohmann::json::parse(line);
            QVERIFY(event.contains("step") && event.contains("epoch"));
            alignment |= event.contains("alignment");
            uniformity |= event.contains("uniformity");
            knn |= event.contains("knn_top1");
        }
        QVERIFY(alignment && uniformity && knn);
        std::ifstream summaryFile(out.filePath("summary.json").toStdString());
        nlohmann::json summary = nlohmann::json::parse(summaryFile);
        for (const char* key : {"knn_top1", "alignment", "uniformity", "epochs", "seconds"}) {
            QVERIFY2(summary.contains(key), key);
        }
        QCOMPARE(summary["epochs"].get<int>(), 4);
        QVERIFY(QFile::exists(out.filePath("checkpoints/last.pt")));
    }

    void resumeReproducesTheUninterruptedRun() {
        io::Project project = defaultProject();
        const train::RunSettings settings = smallRun(2);
        StopAndResume run;
        stopAndResume(project, settings, run);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(run.second.knnTop1, run.uninterrupted.knnTop1);
        const train::TrainResult& first = run.first;
        const train::TrainResult& uninterrupted = run.uninterrupted;

        // Resuming is only for the same run: another seed, or a run already complete, is refused.
        auto refusal = [&](train::RunSettings other, const std::filesystem::path& checkpoint) {
            LossRecorder recorder;
            train::RunControl control;
            QTemporaryDir dir;
            try {
                train::Trainer(project.graph, project.folder, other,
                               {dir.path().toStdString(), checkpoint, m_data})
                    .run(recorder, control);
            } catch (const UserError& e) {
                return QString(e.what());
            }
            return QString();
        };
        train::RunSettings otherSeed = settings;
        otherSeed.seed = 8;
        const QString seedMessage = refusal(otherSeed, first.lastCheckpoint);
        QVERIFY2(seedMessage.contains("seed 7") && seedMessage.contains("seed 8") &&
                     seedMessage.contains("--seed"),
                 qPrintable(seedMessage));
        train::RunSettings longer = settings;
        longer.epochs = 3;
        QVERIFY2(refusal(longer, first.lastCheckpoint).contains("16 planned steps"),
                 qPrintable(refusal(longer, first.lastCheckpoint)));
        const QString completeMessage = refusal(settings, uninterrupted.lastCheckpoint);
        QVERIFY2(completeMessage.contains("step 16 of 16") && completeMessage.contains("complete"),
                 qPrintable(completeMessage));
    }

    void resumeWithMomentumAndQueueReproducesTheUninterruptedRun() {
        // MoCo v2: momentum copies of encoder and head, and a key queue of 160 slots that batches
        // of 64 fill across its end; the checkpoint must carry all three to continue exactly.
        io::Project project = io::loadProject(std::filesystem::path(CRL_SOURCE_DIR) /
                                              "projects/moco-v2-fashion-mnist");
        testing::monitorOften(project.graph, 4, 128);
        for (graph::Node& node : project.graph.nodes) {
            if (node.id == "loss") {
                node.params["queue_size"] = graph::ParamValue{std::int64_t{160}};
            }
        }
        StopAndResume run;
        stopAndResume(project, smallRun(2), run);
    }

    void stopDuringTheEpochsKnnPassEndsTheRunWithACheckpoint() {
        // Stop is set with the epoch's last step; the kNN pass that follows gives up at once.
        io::Project project = defaultProject();
        QTemporaryDir out;
        train::RunControl control;
        LossRecorder recorder(&control, 8);
        train::TrainResult result = train::Trainer(project.graph, project.folder, smallRun(2),
                                                   {out.path().toStdString(), {}, m_data})
                                        .run(recorder, control);

        QVERIFY(result.stopped);
        QCOMPARE(result.steps, 8);
        QCOMPARE(recorder.epochEvents.size(), std::size_t(2));  // before training, epoch 1
        QVERIFY(recorder.epochEvents[0].metrics.count("knn_top1") == 1);
        QVERIFY(recorder.epochEvents[1].metrics.count("knn_top1") == 0);
        QVERIFY(QFile::exists(out.filePath("checkpoints/last.pt")));
    }

    void aShortLastBatchTrains() {
        // 520 images in batches of 64: eight full batches and one of 8 (16 views) per epoch.
        io::Project project = defaultProject();
        train::RunSettings settings = smallRun(1);
        settings.maxSamples = 520;
        LossRecorder recorder;
        train::RunControl control;
        train::TrainResult result =
            train::Trainer(project.graph, project.folder, settings, {{}, {}, m_data})
                .run(recorder, control);

        QCOMPARE(result.steps, 9);
        QCOMPARE(result.epochs, 1);
        QCOMPARE(recorder.losses.size(), std::size_t(9));
        // The short batch's loss is over its own 16 views: finite and below a full batch's
        // chance level ln(2·64 − 1).
        QVERIFY2(std::isfinite(recorder.losses.at(9)) && recorder.losses.at(9) > 0.0 &&
                     recorder.losses.at(9) < std::log(2.0 * 64 - 1),
                 qPrintable(QString::number(recorder.losses.at(9))));
    }

    void batchSizeOneIsRefused() {
        io::Project project = defaultProject();
        train::RunSettings settings = smallRun(1);
        settings.batchSize = 1;
        LossRecorder recorder;
        train::RunControl control;
        train::Trainer trainer(project.graph, project.folder, settings, {{}, {}, m_data});
        try {
            trainer.run(recorder, control);
            QFAIL("a batch of one must be refused");
        } catch (const UserError& e) {
            QVERIFY2(QString(e.what()).contains("batch size 1"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TrainerTest)
#include "TrainerTest.moc"
