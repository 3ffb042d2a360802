#include "app/workbench/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
#include <QLoggingCategory>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>

#include <exception>

#include "app/workbench/RunWorkspace.h"
#include "common/Error.h"
#include "widgets/PipelineView.h"
#include "widgets/ProjectSummaryView.h"

Q_LOGGING_CATEGORY(lcWindow, "crl.app.window")

namespace crl::app {

namespace {

const QString kRecentKey = QStringLiteral("recentProjects");
constexpr int kMaxRecent = 8;

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_pipelineView(new widgets::PipelineView(this)),
      m_summary(new widgets::ProjectSummaryView) {
    setCentralWidget(m_pipelineView);

    auto* scroll = new QScrollArea;
    scroll->setWidget(m_summary);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* dock = new QDockWidget(tr("Project"), this);
    dock->setObjectName(QStringLiteral("projectDock"));
    dock->setWidget(scroll);
    addDockWidget(Qt::LeftDockWidgetArea, dock);

    // Runs train a copy of the project as it is when Run is pressed.
    m_run = new RunWorkspace(this, [this] { return m_project; });
    createActions();
    m_run->addMenu(menuBar());
    setWindowTitle(tr("CRL Workbench"));
    resize(1280, 800);
    statusBar()->showMessage(tr("Open a project with File > Open…"));
}

void MainWindow::createActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open…"), this, &MainWindow::chooseAndOpenProject);
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    // Rebuilt on each show, so a second window's opens appear too.
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* fit =
        view->addAction(tr("&Fit to Window"), m_pipelineView, &widgets::PipelineView::fitToView);
    fit->setShortcut(Qt::CTRL | Qt::Key_0);
    QAction* zoomIn =
        view->addAction(tr("Zoom &In"), m_pipelineView, &widgets::PipelineView::zoomIn);
    zoomIn->setShortcut(QKeySequence::ZoomIn);
    QAction* zoomOut =
        view->addAction(tr("Zoom &Out"), m_pipelineView, &widgets::PipelineView::zoomOut);
    zoomOut->setShortcut(QKeySequence::ZoomOut);
    view->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());
}

bool MainWindow::openProject(const std::filesystem::path& path) {
    const QString shown = QString::fromStdString(path.string());
    qCInfo(lcWindow) << "opening" << shown;

    io::Project project;
    std::filesystem::path file;
    try {
        file = io::resolveProjectPath(path);
        project = io::loadProject(file);
    } catch (const UserError& error) {
        qCWarning(lcWindow) << "cannot open" << shown << ":" << error.what();
        QMessageBox::critical(this, tr("Cannot open project"), QString::fromUtf8(error.what()));
        return false;
    } catch (const std::exception& error) {
        // Not a user error (e.g. a filesystem failure); still the user's to see, not ours to hide.
        qCCritical(lcWindow) << "unexpected error opening" << shown << ":" << error.what();
        QMessageBox::critical(
            this, tr("Cannot open project"),
            tr("%1 could not be opened: %2").arg(shown, QString::fromUtf8(error.what())));
        return false;
    }

    showProject(project, QString::fromStdString(std::filesystem::absolute(file).string()));
    return true;
}

void MainWindow::showProject(const io::Project& project, const QString& file) {
    m_project = project;
    m_pipelineView->setGraph(project.graph);
    m_summary->setProject(project);
    m_run->setProject(project);

    setWindowTitle(tr("%1 — CRL Workbench").arg(QString::fromStdString(project.name)));
    setWindowFilePath(file);
    rememberRecent(file);
    statusBar()->showMessage(tr("Opened %1").arg(file), 5000);
}

void MainWindow::chooseAndOpenProject() {
    const QString start =
        m_project.folder.empty() ? QString() : QString::fromStdString(m_project.folder.string());
    const QString file = QFileDialog::getOpenFileName(this, tr("Open Project"), start,
                                                      tr("CRL projects (*.crl.json)"));
    if (!file.isEmpty())
        openProject(file.toStdString());
}

void MainWindow::rememberRecent(const QString& file) {
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    recent.removeAll(file);
    recent.prepend(file);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(kRecentKey, recent);
}

void MainWindow::fillRecentMenu() {
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(kRecentKey).toStringList();
    for (const QString& file : recent) {
        QAction* action = m_recentMenu->addAction(
            QFileInfo(file).fileName(), this, [this, file] { openProject(file.toStdString()); });
        action->setToolTip(file);
        action->setStatusTip(file);
    }
    if (recent.isEmpty())
        m_recentMenu->addAction(tr("No recent projects"))->setEnabled(false);
    else {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear List"), this, [] { QSettings().remove(kRecentKey); });
    }
}

}  // namespace crl::app
