#pragma once
// Drives training runs from the GUI. start() copies the project (so editing the graph during a
// run does not disturb it), moves a RunWorker onto a new QThread and lets the core trainer run
// there, never on the GUI thread. Run events reach the GUI through a RunEventCoalescer (at most
// ~30 batches per second); pause, resume and stop set the trainer's atomic RunControl flags,
// so Stop takes effect within one step and the trainer keeps a checkpoint. A worker failure
// arrives as failed() with the message and leaves the controller ready for the next run.
// Torch-free: only RunWorker.cpp sees the trainer.

#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>

#include "app/workbench/RunOutcome.h"
#include "io/ProjectFile.h"
#include "train/RunEvents.h"
#include "train/RunSettings.h"

class QThread;

namespace crl::app {

class RunEventCoalescer;
class RunWorker;

class RunController : public QObject {
    Q_OBJECT

public:
    enum class State { Idle, Running, Paused, Stopping };
    Q_ENUM(State)

    explicit RunController(QObject* parent = nullptr);
    /// Stops an active run and waits for its thread (the trainer finishes its current step).
    ~RunController() override;

    /// Trains a copy of `project` with `settings` on a worker thread, writing the run folder
    /// `runFolder` (empty: defaultRunFolder()). Returns false, starting nothing, while a run is
    /// active. A `settings.threads` of 0 leaves one core to the GUI.
    bool start(const io::Project& project, const train::RunSettings& settings,
               const QString& runFolder = {});
    void pause();
    void resume();
    void stop();

    State state() const { return m_state; }
    bool isActive() const { return m_state != State::Idle; }
    /// The folder of the active or last run.
    QString runFolder() const { return m_runFolder; }
    RunEventCoalescer* coalescer() const { return m_coalescer; }

    /// <project folder>/runs/<yyyyMMdd-HHmmss>/, or the same under the application's data
    /// folder (runs/<project name>/) when the project folder is unset or not writable.
    static QString defaultRunFolder(const io::Project& project);
    /// The devices a run can use here: "cpu", plus "cuda" when one is available.
    static QStringList availableDevices();

signals:
    void stateChanged(crl::app::RunController::State state);
    void started(const QString& runFolder);
    /// Coalesced run events, in order; all of a run's events arrive before finished/failed.
    void eventsReady(const QVector<crl::train::RunEvent>& events);
    void finished(const crl::app::RunOutcome& outcome);
    void failed(const QString& message);

private:
    void onWorkerFinished(const RunOutcome& outcome);
    void onWorkerFailed(const QString& message);
    void endRun();
    void setState(State state);

    RunEventCoalescer* m_coalescer;
    QThread* m_thread = nullptr;
    RunWorker* m_worker = nullptr;
    std::shared_ptr<train::RunControl> m_control;
    QString m_runFolder;
    State m_state = State::Idle;
};

}  // namespace crl::app
