#pragma once
// The training side of the main window: the run panel, the live curves and the run log as
// docks, the Run menu (Run/Resume F5, Pause F6, Stop Shift+F5), and the RunController they
// drive. The window supplies the project to run through a callback, read when Run is pressed,
// so the run trains exactly what the user sees at that moment and later edits do not reach
// it. Errors from a run appear in a message box and the log; the window stays usable.

#include <QObject>
#include <QVector>

#include <functional>
#include <memory>
#include <optional>

#include "io/ProjectFile.h"
#include "train/RunEvents.h"

class QAction;
class QDockWidget;
class QElapsedTimer;
class QMainWindow;
class QMenu;
class QMenuBar;
class QToolBar;

namespace crl::widgets {
class CurvesPanel;
class LogPanel;
class RunPanel;
}  // namespace crl::widgets

namespace crl::app {

class LogForwarder;
class RunController;
struct RunOutcome;

class RunWorkspace : public QObject {
    Q_OBJECT

public:
    using ProjectSource = std::function<io::Project()>;

    /// Adds the run, curves and log docks to `window`; `source` gives the project to train.
    RunWorkspace(QMainWindow* window, ProjectSource source);
    ~RunWorkspace() override;

    /// Adds the Run menu to `bar`.
    QMenu* addMenu(QMenuBar* bar);
    /// Puts Run, Pause and Stop on bar; call after addMenu.
    void addToolBarActions(QToolBar* bar) const;

    /// Prefills the run settings and points "compare with run" at the project's runs/ folder.
    void setProject(const io::Project& project);

    RunController* controller() const { return m_controller; }
    widgets::RunPanel* runPanel() const { return m_panel; }
    widgets::CurvesPanel* curves() const { return m_curves; }
    widgets::LogPanel* log() const { return m_log; }
    QList<QDockWidget*> docks() const { return {m_panelDock, m_curvesDock, m_logDock}; }

    /// The dimension of the metric embedding z the pipeline's loss receives; 0 when unknown.
    static int embeddingDimension(const graph::PipelineGraph& graph);

signals:
    /// The user edited the run panel's settings; `settings` is the project's run section with
    /// the edit applied, for the window to record in the project (so Save keeps it).
    void runSettingsEdited(const crl::train::RunSettings& settings);

public slots:
    /// Starts a run of the current project with the panel's settings (or resumes a paused one).
    void startRun();
    void pauseRun();
    void resumeRun();
    void stopRun();

private:
    void onEvents(const QVector<crl::train::RunEvent>& events);
    void onStateChanged();
    void onFinished(const RunOutcome& outcome);
    void onFailed(const QString& message);
    void logInfo(const QString& text);
    void showProject(const io::Project& project);

    QMainWindow* m_window;
    ProjectSource m_source;
    RunController* m_controller;
    LogForwarder* m_logForwarder;
    widgets::RunPanel* m_panel;
    widgets::CurvesPanel* m_curves;
    widgets::LogPanel* m_log;
    QDockWidget* m_panelDock;
    QDockWidget* m_curvesDock;
    QDockWidget* m_logDock;
    QAction* m_runAction = nullptr;
    QAction* m_pauseAction = nullptr;
    QAction* m_stopAction = nullptr;

    // Progress of the active run, for the ETA.
    std::unique_ptr<QElapsedTimer> m_clock;
    std::int64_t m_rateFromStep = -1;
    bool m_trainingStarted = false;
    std::int64_t m_epochs = 0;
    QString m_device;
    // A project opened while a run is active; shown once the run ends, so that the run's
    // curves and settings stay those of the project it trains.
    std::optional<io::Project> m_pendingProject;
};

}  // namespace crl::app
