#include "app/workbench/RunWorker.h"

#include <exception>
#include <utility>

#include "app/workbench/RunLog.h"
#include "common/Error.h"
#include "train/Trainer.h"

namespace crl::app {

namespace {

RunOutcome outcomeOf(const train::TrainResult& result, const std::filesystem::path& runFolder) {
    RunOutcome outcome;
    outcome.stopped = result.stopped;
    outcome.steps = result.steps;
    outcome.epochs = result.epochs;
    outcome.seconds = result.seconds;
    outcome.knnTop1 = result.knnTop1;
    outcome.initialKnnTop1 = result.initialKnnTop1;
    outcome.alignment = result.alignment;
    outcome.uniformity = result.uniformity;
    outcome.collapse = result.collapse;
    outcome.viewsPerSecond = result.viewsPerSecond;
    outcome.device = QString::fromStdString(result.device);
    outcome.runFolder = QString::fromStdString(runFolder.string());
    outcome.lastCheckpoint = QString::fromStdString(result.lastCheckpoint.string());
    return outcome;
}

}  // namespace

RunWorker::RunWorker(io::Project project, train::RunSettings settings,
                     std::filesystem::path runFolder, train::RunSink& sink,
                     std::shared_ptr<train::RunControl> control)
    : m_project(std::move(project)),
      m_settings(std::move(settings)),
      m_runFolder(std::move(runFolder)),
      m_sink(sink),
      m_control(std::move(control)) {}

void RunWorker::run() {
    qCInfo(lcRun) << "training" << QString::fromStdString(m_project.name) << "into"
                  << QString::fromStdString(m_runFolder.string());
    train::TrainerOptions options;
    options.outDir = m_runFolder;

    // A throw must not leave this thread: it would end the process.
    QString error;
    try {
        train::Trainer trainer(m_project.graph, m_project.folder, m_settings, options);
        const train::TrainResult result = trainer.run(m_sink, *m_control);
        emit finished(outcomeOf(result, m_runFolder));
        return;
    } catch (const UserError& e) {
        error = QString::fromUtf8(e.what());
    } catch (const c10::Error& e) {
        error = tr("LibTorch failed: %1").arg(QString::fromUtf8(e.what_without_backtrace()));
    } catch (const std::exception& e) {
        error = tr("Training failed: %1").arg(QString::fromUtf8(e.what()));
    } catch (...) {
        error = tr("Training failed with an unknown error.");
    }
    qCWarning(lcRun).noquote() << "run failed:" << error;
    emit failed(error);
}

}  // namespace crl::app
