#include "app/workbench/RunController.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QThread>

#include <algorithm>

#include "app/workbench/RunEventCoalescer.h"
#include "app/workbench/RunLog.h"
#include "app/workbench/RunWorker.h"
#include "train/Devices.h"

namespace crl::app {

Q_LOGGING_CATEGORY(lcRun, "crl.app.run")

namespace {

/// True when files can be created in `folder` (made if missing).
bool writableFolder(const QString& folder) {
    if (!QDir().mkpath(folder))
        return false;
    return QFileInfo(folder).isWritable();
}

QString uniqueChild(const QString& parent, const QString& name) {
    QString candidate = QDir(parent).filePath(name);
    for (int i = 2; QFileInfo::exists(candidate); ++i)
        candidate = QDir(parent).filePath(QStringLiteral("%1-%2").arg(name).arg(i));
    return candidate;
}

}  // namespace

RunController::RunController(QObject* parent)
    : QObject(parent), m_coalescer(new RunEventCoalescer(this)) {
    connect(m_coalescer, &RunEventCoalescer::eventsReady, this, &RunController::eventsReady);
}

RunController::~RunController() {
    if (m_thread == nullptr)
        return;
    qCInfo(lcRun) << "stopping the active run before closing";
    m_control->pause = false;
    m_control->stop = true;
    m_thread->quit();
    m_thread->wait();
    delete m_worker;
    delete m_thread;
}

QStringList RunController::availableDevices() {
    QStringList devices;
    for (const std::string& device : train::availableDevices())
        devices << QString::fromStdString(device);
    return devices;
}

QString RunController::defaultRunFolder(const io::Project& project) {
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    if (!project.folder.empty()) {
        const QString runs =
            QDir(QString::fromStdString(project.folder.string())).filePath(QStringLiteral("runs"));
        if (writableFolder(runs))
            return uniqueChild(runs, stamp);
    }

    // A project in a read-only place (e.g. an installed example) trains into the user's data.
    QString name = QString::fromStdString(project.name).simplified();
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]+")), QStringLiteral("-"));
    if (name.isEmpty())
        name = QStringLiteral("untitled");
    const QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const QString runs = QDir(base).filePath(QStringLiteral("runs/") + name);
    QDir().mkpath(runs);
    return uniqueChild(runs, stamp);
}

bool RunController::start(const io::Project& project, const train::RunSettings& settings,
                          const QString& runFolder) {
    if (m_thread != nullptr) {
        qCWarning(lcRun) << "a run is already active; stop it before starting another";
        return false;
    }

    train::RunSettings runSettings = settings;
    if (runSettings.threads <= 0)
        runSettings.threads = std::max(1, QThread::idealThreadCount() - 1);
    m_runFolder = runFolder.isEmpty() ? defaultRunFolder(project) : runFolder;
    m_control = std::make_shared<train::RunControl>();
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("crl-training"));
    m_worker =
        new RunWorker(project, runSettings, m_runFolder.toStdString(), *m_coalescer, m_control);
    m_worker->moveToThread(m_thread);

    connect(m_thread, &QThread::started, m_worker, &RunWorker::run);
    connect(m_worker, &RunWorker::finished, this, &RunController::onWorkerFinished,
            Qt::QueuedConnection);
    connect(m_worker, &RunWorker::failed, this, &RunController::onWorkerFailed,
            Qt::QueuedConnection);

    qCInfo(lcRun) << "starting a run in" << m_runFolder << "on" << runSettings.device.c_str()
                  << "with" << runSettings.threads << "threads";
    m_coalescer->start();
    m_thread->start();
    setState(State::Running);
    emit started(m_runFolder);
    return true;
}

void RunController::pause() {
    if (m_state != State::Running)
        return;
    m_control->pause = true;
    setState(State::Paused);
}

void RunController::resume() {
    if (m_state != State::Paused)
        return;
    m_control->pause = false;
    setState(State::Running);
}

void RunController::stop() {
    if (m_state != State::Running && m_state != State::Paused)
        return;
    // The trainer sees stop even while paused, keeps a checkpoint and returns.
    m_control->stop = true;
    m_control->pause = false;
    setState(State::Stopping);
}

void RunController::onWorkerFinished(const RunOutcome& outcome) {
    qCInfo(lcRun) << (outcome.stopped ? "run stopped" : "run finished") << "after" << outcome.steps
                  << "steps";
    endRun();
    emit finished(outcome);
}

void RunController::onWorkerFailed(const QString& message) {
    endRun();
    emit failed(message);
}

void RunController::endRun() {
    // The worker's slot has returned, so its thread only has to leave its event loop.
    m_coalescer->stop();
    m_thread->quit();
    m_thread->wait();
    delete m_worker;
    delete m_thread;
    m_worker = nullptr;
    m_thread = nullptr;
    setState(State::Idle);
}

void RunController::setState(State state) {
    if (state == m_state)
        return;
    m_state = state;
    emit stateChanged(state);
}

}  // namespace crl::app
