#pragma once
// The workbench's main window: opens a project file and shows its pipeline read-only, with the
// project's name, description and run settings in a dock. Errors from loading reach the user
// in a message box with the full ProjectError text.

#include <QMainWindow>

#include <filesystem>

#include "io/ProjectFile.h"

class QMenu;

namespace crl::widgets {
class PipelineView;
class ProjectSummaryView;
}  // namespace crl::widgets

namespace crl::app {

class RunWorkspace;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);

    /// Loads `path` (a *.crl.json file or a folder holding one) and shows it. On failure the
    /// error is shown in a message box, the current project stays, and false is returned.
    bool openProject(const std::filesystem::path& path);

    const io::Project& project() const { return m_project; }

    /// The run panel, curves and log docks and the controller behind them.
    RunWorkspace* runWorkspace() const { return m_run; }

private slots:
    void chooseAndOpenProject();
    void fillRecentMenu();

private:
    void createActions();
    void rememberRecent(const QString& file);
    void showProject(const io::Project& project, const QString& file);

    io::Project m_project;
    widgets::PipelineView* m_pipelineView;
    widgets::ProjectSummaryView* m_summary;
    QMenu* m_recentMenu = nullptr;
    RunWorkspace* m_run = nullptr;
};

}  // namespace crl::app
