#include "app/workbench/RunWorkspace.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QKeySequence>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>

#include <exception>

#include "app/workbench/LogForwarder.h"
#include "app/workbench/RunController.h"
#include "app/workbench/RunLog.h"
#include "widgets/curves/CurvesPanel.h"
#include "widgets/log/LogPanel.h"
#include "widgets/run/RunPanel.h"

namespace crl::app {

namespace {

using widgets::LogPanel;
using widgets::RunPanel;

LogPanel::Level levelOf(LogLevel level) {
    switch (level) {
        case LogLevel::Debug:
            return LogPanel::Level::Debug;
        case LogLevel::Info:
            return LogPanel::Level::Info;
        case LogLevel::Warning:
            return LogPanel::Level::Warning;
        case LogLevel::Error:
            return LogPanel::Level::Error;
    }
    return LogPanel::Level::Info;
}

QDockWidget* addDock(QMainWindow* window, const QString& title, const QString& name,
                     QWidget* widget, Qt::DockWidgetArea area) {
    auto* dock = new QDockWidget(title, window);
    dock->setObjectName(name);
    dock->setWidget(widget);
    window->addDockWidget(area, dock);
    return dock;
}

double metricOr(const train::RunEvent& event, const char* name, double fallback) {
    const auto it = event.metrics.find(name);
    return it == event.metrics.end() ? fallback : it->second;
}

}  // namespace

RunWorkspace::RunWorkspace(QMainWindow* window, ProjectSource source)
    : QObject(window),
      m_window(window),
      m_source(std::move(source)),
      m_controller(new RunController(this)),
      m_logForwarder(new LogForwarder(this)),
      m_panel(new RunPanel),
      m_curves(new widgets::CurvesPanel),
      m_log(new LogPanel),
      m_clock(std::make_unique<QElapsedTimer>()) {
    m_panelDock =
        addDock(window, tr("Run"), QStringLiteral("runDock"), m_panel, Qt::RightDockWidgetArea);
    m_logDock =
        addDock(window, tr("Log"), QStringLiteral("logDock"), m_log, Qt::RightDockWidgetArea);
    m_curvesDock = addDock(window, tr("Curves"), QStringLiteral("curvesDock"), m_curves,
                           Qt::BottomDockWidgetArea);
    m_panel->setDevices(RunController::availableDevices());

    connect(m_panel, &RunPanel::runRequested, this, &RunWorkspace::startRun);
    connect(m_panel, &RunPanel::pauseRequested, this, &RunWorkspace::pauseRun);
    connect(m_panel, &RunPanel::resumeRequested, this, &RunWorkspace::resumeRun);
    connect(m_panel, &RunPanel::stopRequested, this, &RunWorkspace::stopRun);
    connect(m_panel, &RunPanel::settingsEdited, this,
            [this] { emit runSettingsEdited(m_panel->projectSettings(m_source().run)); });

    connect(m_controller, &RunController::eventsReady, m_curves,
            &widgets::CurvesPanel::appendEvents);
    connect(m_controller, &RunController::eventsReady, this, &RunWorkspace::onEvents);
    connect(m_controller, &RunController::stateChanged, this, &RunWorkspace::onStateChanged);
    connect(m_controller, &RunController::finished, this, &RunWorkspace::onFinished);
    connect(m_controller, &RunController::failed, this, &RunWorkspace::onFailed);

    // core/ logs from the worker and prefetch threads; the log widget lives here.
    connect(
        m_logForwarder, &LogForwarder::message, m_log,
        [log = m_log](LogLevel level, const QString& text) { log->append(levelOf(level), text); },
        Qt::QueuedConnection);
    connect(m_curves, &widgets::CurvesPanel::collapseWarning, m_log,
            [log = m_log](const QString& text) { log->append(LogPanel::Level::Warning, text); });
}

// Declared here so the header need not see QElapsedTimer's definition.
RunWorkspace::~RunWorkspace() = default;

QMenu* RunWorkspace::addMenu(QMenuBar* bar) {
    QMenu* menu = bar->addMenu(tr("&Run"));
    m_runAction = menu->addAction(tr("&Run"), this, [this] {
        if (m_controller->state() == RunController::State::Paused)
            resumeRun();
        else
            startRun();
    });
    m_runAction->setShortcut(Qt::Key_F5);
    m_pauseAction = menu->addAction(tr("&Pause"), this, &RunWorkspace::pauseRun);
    m_pauseAction->setShortcut(Qt::Key_F6);
    m_stopAction = menu->addAction(tr("&Stop"), this, &RunWorkspace::stopRun);
    m_stopAction->setShortcut(Qt::SHIFT | Qt::Key_F5);
    const QStyle* style = m_window->style();
    m_runAction->setIcon(style->standardIcon(QStyle::SP_MediaPlay));
    m_pauseAction->setIcon(style->standardIcon(QStyle::SP_MediaPause));
    m_stopAction->setIcon(style->standardIcon(QStyle::SP_MediaStop));
    menu->addSeparator();
    for (QDockWidget* dock : docks())
        menu->addAction(dock->toggleViewAction());
    onStateChanged();
    return menu;
}

void RunWorkspace::addToolBarActions(QToolBar* bar) const {
    bar->addAction(m_runAction);
    bar->addAction(m_pauseAction);
    bar->addAction(m_stopAction);
}

int RunWorkspace::embeddingDimension(const graph::PipelineGraph& graph) {
    for (const graph::Edge& edge : graph.edges) {
        if (edge.to.port != "embedding")
            continue;
        const graph::Node* head = graph.findNode(edge.from.node);
        if (head == nullptr)
            continue;
        try {
            return static_cast<int>(graph.integer(*head, "out_dim"));
        } catch (const std::exception&) {
            // A head without out_dim (e.g. an identity); try the next edge.
        }
    }
    return 0;
}

void RunWorkspace::setProject(const io::Project& project) {
    if (m_controller->isActive()) {
        m_pendingProject = project;
        return;
    }
    showProject(project);
}

void RunWorkspace::showProject(const io::Project& project) {
    m_pendingProject.reset();
    m_panel->setSettings(project.run);
    m_curves->setEmbeddingDimension(embeddingDimension(project.graph));
    if (!project.folder.empty())
        m_curves->setRunsFolder(
            QDir(QString::fromStdString(project.folder.string())).filePath(QStringLiteral("runs")));
}

void RunWorkspace::startRun() {
    if (m_controller->isActive())
        return;

    // The snapshot: what the window shows now, with the panel's settings.
    const io::Project project = m_source();
    const train::RunSettings settings = m_panel->settings(project.run);
    m_curves->clearLive();
    m_curves->setEmbeddingDimension(embeddingDimension(project.graph));
    m_epochs = settings.epochs;
    m_device = QString::fromStdString(settings.device);
    m_rateFromStep = -1;
    m_trainingStarted = false;
    if (!m_controller->start(project, settings))
        return;

    const QString folder = QDir::toNativeSeparators(m_controller->runFolder());
    logInfo(tr("run started on %1: %2 epochs, batch size %3; run folder %4")
                .arg(QString::fromStdString(settings.device))
                .arg(settings.epochs)
                .arg(settings.batchSize)
                .arg(folder));
    m_panel->setProgress(0, m_epochs, 0, 0, -1.0);
    m_panel->setStatus(tr("Loading data and preparing the pipeline…\nRun folder: %1").arg(folder));
}

void RunWorkspace::pauseRun() {
    m_controller->pause();
    if (m_controller->state() == RunController::State::Paused)
        logInfo(tr("paused"));
}

void RunWorkspace::resumeRun() {
    if (m_controller->state() != RunController::State::Paused)
        return;
    m_controller->resume();
    // Time spent paused says nothing about the speed of training.
    m_rateFromStep = -1;
    logInfo(tr("resumed"));
}

void RunWorkspace::stopRun() {
    if (!m_controller->isActive())
        return;
    m_controller->stop();
    logInfo(m_trainingStarted
                ? tr("stopping after the current step; a checkpoint of it is kept")
                : tr("stopping before the first step; nothing was trained, so no checkpoint "
                     "is written"));
}

void RunWorkspace::onEvents(const QVector<crl::train::RunEvent>& events) {
    using Kind = train::RunEvent::Kind;
    const train::RunEvent* lastStep = nullptr;
    for (const train::RunEvent& event : events) {
        switch (event.kind) {
            case Kind::Step:
                lastStep = &event;
                break;
            case Kind::Epoch:
                logInfo(tr("epoch %1: kNN top-1 %2, alignment %3, uniformity %4")
                            .arg(event.epoch)
                            .arg(metricOr(event, "knn_top1", qQNaN()), 0, 'f', 4)
                            .arg(metricOr(event, "alignment", qQNaN()), 0, 'f', 4)
                            .arg(metricOr(event, "uniformity", qQNaN()), 0, 'f', 4));
                break;
            case Kind::Checkpoint:
                logInfo(tr("checkpoint kept: %1").arg(QString::fromStdString(event.text)));
                break;
            case Kind::Message:
                logInfo(QString::fromStdString(event.text));
                break;
            case Kind::Monitor:
            case Kind::Finished:
                break;
        }
    }
    if (lastStep == nullptr)
        return;
    if (!m_trainingStarted) {
        m_trainingStarted = true;
        onStateChanged();
    }

    if (m_rateFromStep < 0) {
        m_rateFromStep = lastStep->step;
        m_clock->start();
    }
    const std::int64_t done = lastStep->step - m_rateFromStep;
    const double secondsLeft =
        done > 0 ? m_clock->elapsed() / 1000.0 / done * (lastStep->totalSteps - lastStep->step)
                 : -1.0;
    m_panel->setProgress(lastStep->epoch, m_epochs, lastStep->step, lastStep->totalSteps,
                         secondsLeft);
    if (m_controller->state() == RunController::State::Running)
        m_panel->setStatus(tr("Training on %1 · loss %2\nRun folder: %3")
                               .arg(m_device)
                               .arg(metricOr(*lastStep, "loss", qQNaN()), 0, 'f', 4)
                               .arg(QDir::toNativeSeparators(m_controller->runFolder())));
}

void RunWorkspace::onStateChanged() {
    const RunController::State state = m_controller->state();
    switch (state) {
        case RunController::State::Idle:
            m_panel->setState(RunPanel::State::Idle);
            break;
        case RunController::State::Running:
            // Until the first step the worker loads data and measures the initial encoder.
            m_panel->setState(m_trainingStarted ? RunPanel::State::Running
                                                : RunPanel::State::Starting);
            break;
        case RunController::State::Paused:
            m_panel->setState(RunPanel::State::Paused);
            m_panel->setStatus(tr("Paused. Resume continues from the same step."));
            break;
        case RunController::State::Stopping:
            m_panel->setState(RunPanel::State::Stopping);
            m_panel->setStatus(tr("Stopping after the current step…"));
            break;
    }
    if (m_runAction == nullptr)
        return;
    const bool paused = state == RunController::State::Paused;
    m_runAction->setText(paused ? tr("&Resume") : tr("&Run"));
    m_runAction->setEnabled(state == RunController::State::Idle || paused);
    m_pauseAction->setEnabled(state == RunController::State::Running);
    m_stopAction->setEnabled(state == RunController::State::Running || paused);
}

void RunWorkspace::onFinished(const RunOutcome& outcome) {
    QString summary = outcome.stopped ? tr("Stopped at step %1 after %2.")
                                            .arg(outcome.steps)
                                            .arg(RunPanel::formatDuration(outcome.seconds))
                                      : tr("Finished %1 epochs in %2: kNN top-1 %3")
                                            .arg(outcome.epochs)
                                            .arg(RunPanel::formatDuration(outcome.seconds))
                                            .arg(outcome.knnTop1, 0, 'f', 4);
    if (!outcome.stopped && outcome.initialKnnTop1 >= 0.0)
        summary += tr(" (random initialisation %1).").arg(outcome.initialKnnTop1, 0, 'f', 4);
    else if (!outcome.stopped)
        summary += QLatin1Char('.');
    if (!outcome.lastCheckpoint.isEmpty())
        summary += tr("\nCheckpoint: %1").arg(QDir::toNativeSeparators(outcome.lastCheckpoint));

    logInfo(summary.simplified());
    m_panel->setStatus(summary);
    m_window->statusBar()->showMessage(summary.section(QLatin1Char('\n'), 0, 0), 10000);
    if (m_pendingProject)
        showProject(*m_pendingProject);
}

void RunWorkspace::onFailed(const QString& message) {
    m_log->append(LogPanel::Level::Error, message);
    m_panel->setStatus(tr("The run failed: %1").arg(message));
    m_window->statusBar()->showMessage(tr("The run failed; see the log"), 10000);

    // Window-modal but not blocking: the event loop, and the rest of the GUI, keep running.
    auto* box = new QMessageBox(QMessageBox::Critical, tr("Training failed"), message,
                                QMessageBox::Ok, m_window);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    if (m_pendingProject)
        showProject(*m_pendingProject);
}

void RunWorkspace::logInfo(const QString& text) {
    qCInfo(lcRun).noquote() << text;
    m_log->append(LogPanel::Level::Info, text);
}

}  // namespace crl::app
