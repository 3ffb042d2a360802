#include "app/workbench/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
#include <QLabel>
#include <QLoggingCategory>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QUndoGroup>
#include <QUndoStack>

#include <exception>

#include "app/workbench/RunController.h"
#include "app/workbench/RunWorkspace.h"
#include "common/Error.h"
#include "widgets/ProjectSummaryView.h"
#include "widgets/editor/EditorScene.h"
#include "widgets/editor/EditorView.h"
#include "widgets/editor/GraphDocument.h"
#include "widgets/editor/NodeInspector.h"
#include "widgets/editor/NodePalette.h"

Q_LOGGING_CATEGORY(lcWindow, "crl.app.window")

namespace crl::app {

namespace {

const QString kRecentKey = QStringLiteral("recentProjects");
const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
constexpr int kMaxRecent = 8;
const QString kProjectSuffix = QStringLiteral(".crl.json");

/// The folder holding the example projects (the templates): the source tree's for a developer
/// build, then the installed ones. Empty when none exists.
QString templatesFolder() {
    const QStringList candidates = {
        QFileInfo(QStringLiteral(CRL_DEFAULT_PROJECT)).absolutePath(),
        QDir(QCoreApplication::applicationDirPath())
            .filePath(QStringLiteral("../share/crl-workbench/projects")),
        QStringLiteral("/usr/share/crl-workbench/projects"),
    };
    for (const QString& candidate : candidates)
        if (QFileInfo(candidate).isDir())
            return QDir::cleanPath(candidate);
    return {};
}

/// The template a new project starts from.
QString defaultTemplate() {
    const QString folder = templatesFolder();
    return folder.isEmpty() ? QString()
                            : QDir(folder).filePath(QFileInfo(CRL_DEFAULT_PROJECT).fileName());
}

QScrollArea* scrolled(QWidget* widget) {
    auto* scroll = new QScrollArea;
    scroll->setWidget(widget);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    return scroll;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_view(new widgets::EditorView(this)),
      m_palette(new widgets::NodePalette),
      m_inspector(new widgets::NodeInspector),
      m_summary(new widgets::ProjectSummaryView),
      m_undoGroup(new QUndoGroup(this)),
      m_problems(new QLabel) {
    setCentralWidget(m_view);
    createDocks();
    statusBar()->addPermanentWidget(m_problems);
    replaceDocument(std::make_unique<widgets::GraphDocument>());

    // Runs train a copy of the project as it is when Run is pressed.
    m_run = new RunWorkspace(this, [this] { return m_document->project(); });
    // The run panel's settings are part of the project: an edit is undoable and Save keeps it.
    connect(m_run, &RunWorkspace::runSettingsEdited, this,
            [this](const train::RunSettings& settings) { m_document->setRunSettings(settings); });
    createActions();
    m_run->addMenu(menuBar());
    m_run->addToolBarActions(m_toolBar);
    updateTitle();
    resize(1280, 800);
    const QSettings settings;
    restoreGeometry(settings.value(kGeometryKey).toByteArray());
    restoreState(settings.value(kStateKey).toByteArray());
    statusBar()->showMessage(tr("Open a project with File > Open…"));
}

const io::Project& MainWindow::project() const {
    return m_document->project();
}

void MainWindow::createDocks() {
    auto addDock = [this](const QString& title, const QString& name, QWidget* widget,
                          Qt::DockWidgetArea area) {
        auto* dock = new QDockWidget(title, this);
        dock->setObjectName(name);
        dock->setWidget(widget);
        addDockWidget(area, dock);
        return dock;
    };
    QDockWidget* palette =
        addDock(tr("Palette"), QStringLiteral("paletteDock"), m_palette, Qt::LeftDockWidgetArea);
    QDockWidget* project = addDock(tr("Project"), QStringLiteral("projectDock"),
                                   scrolled(m_summary), Qt::LeftDockWidgetArea);
    tabifyDockWidget(palette, project);
    palette->raise();
    addDock(tr("Inspector"), QStringLiteral("inspectorDock"), scrolled(m_inspector),
            Qt::RightDockWidgetArea);

    connect(m_palette, &widgets::NodePalette::typeActivated, m_view,
            &widgets::EditorView::addNodeAtCentre);
}

void MainWindow::createActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    const QStyle* look = style();
    QAction* newAction =
        file->addAction(tr("&New"), QKeySequence::New, this, &MainWindow::newProject);
    newAction->setIcon(look->standardIcon(QStyle::SP_FileIcon));
    QAction* openAction =
        file->addAction(tr("&Open…"), QKeySequence::Open, this, &MainWindow::chooseAndOpenProject);
    openAction->setIcon(look->standardIcon(QStyle::SP_DialogOpenButton));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    // Rebuilt on each show, so a second window's opens appear too.
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    m_templatesMenu = file->addMenu(tr("New from &Template"));
    connect(m_templatesMenu, &QMenu::aboutToShow, this, &MainWindow::fillTemplatesMenu);
    file->addSeparator();
    QAction* saveAction = file->addAction(tr("&Save"), QKeySequence::Save, this, &MainWindow::save);
    saveAction->setIcon(look->standardIcon(QStyle::SP_DialogSaveButton));
    file->addAction(tr("Save &As…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), this,
                    &MainWindow::saveAs);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_undoGroup->createUndoAction(this, tr("&Undo"));
    undo->setShortcuts(QKeySequence::Undo);
    undo->setIcon(look->standardIcon(QStyle::SP_ArrowBack));
    QAction* redo = m_undoGroup->createRedoAction(this, tr("&Redo"));
    // Ctrl+Shift+Z and Ctrl+Y both redo, whichever a user's other tools taught them.
    redo->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    redo->setIcon(look->standardIcon(QStyle::SP_ArrowForward));
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    // Canvas edits act only while the canvas has focus, so that Ctrl+C or Delete in the
    // inspector's fields still edits text.
    auto canvasAction = [this, edit](const QString& text, const QKeySequence& keys, auto slot) {
        QAction* action = edit->addAction(text, this, [this, slot] { (m_scene->*slot)(); });
        action->setShortcut(keys);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_view->addAction(action);
        return action;
    };
    canvasAction(tr("Cu&t"), QKeySequence::Cut, &widgets::EditorScene::cutSelection);
    canvasAction(tr("&Copy"), QKeySequence::Copy, &widgets::EditorScene::copySelection);
    canvasAction(tr("&Paste"), QKeySequence::Paste, &widgets::EditorScene::pasteClipboard);
    canvasAction(tr("&Duplicate"), QKeySequence(Qt::CTRL | Qt::Key_D),
                 &widgets::EditorScene::duplicateSelection);
    canvasAction(tr("De&lete"), QKeySequence::Delete, &widgets::EditorScene::deleteSelection);
    edit->addSeparator();
    canvasAction(tr("Select &All"), QKeySequence::SelectAll, &widgets::EditorScene::selectAll);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("Zoom &In"), QKeySequence::ZoomIn, m_view, &widgets::EditorView::zoomIn);
    view->addAction(tr("Zoom &Out"), QKeySequence::ZoomOut, m_view, &widgets::EditorView::zoomOut);
    QAction* fit = view->addAction(tr("&Fit to Window"), QKeySequence(Qt::CTRL | Qt::Key_0), m_view,
                                   &widgets::EditorView::fitToView);
    fit->setIcon(look->standardIcon(QStyle::SP_TitleBarMaxButton));
    QAction* layout =
        view->addAction(tr("&Auto-layout"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L), this,
                        [this] { m_scene->autoLayout(); });
    layout->setIcon(look->standardIcon(QStyle::SP_FileDialogListView));
    // One tool bar with the actions used most; its place is part of the saved window state.
    m_toolBar = addToolBar(tr("Main"));
    m_toolBar->setObjectName(QStringLiteral("mainToolBar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->addActions({newAction, openAction, saveAction});
    m_toolBar->addSeparator();
    m_toolBar->addActions({undo, redo});
    m_toolBar->addSeparator();
    m_toolBar->addActions({fit, layout});
    m_toolBar->addSeparator();

    view->addSeparator();
    view->addAction(m_toolBar->toggleViewAction());
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());
}

bool MainWindow::openProject(const std::filesystem::path& path) {
    const QString shown = QString::fromStdString(path.string());
    if (!maybeSave())
        return false;
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

    file = std::filesystem::absolute(file);
    replaceDocument(std::make_unique<widgets::GraphDocument>(project, file));
    const QString shownFile = QString::fromStdString(file.string());
    rememberRecent(shownFile);
    statusBar()->showMessage(tr("Opened %1").arg(shownFile), 5000);
    return true;
}

bool MainWindow::openUntitledCopy(const std::filesystem::path& folder, const QString& name) {
    if (!maybeSave())
        return false;

    io::Project project;
    try {
        project = io::loadProject(folder);
    } catch (const std::exception& error) {
        qCWarning(lcWindow) << "cannot open template" << folder.c_str() << ":" << error.what();
        QMessageBox::critical(this, tr("Cannot open template"), QString::fromUtf8(error.what()));
        return false;
    }
    if (!name.isEmpty())
        project.name = name.toStdString();

    // No file yet: Save asks where. The folder stays, so relative data paths still resolve.
    replaceDocument(std::make_unique<widgets::GraphDocument>(project, std::filesystem::path()));
    statusBar()->showMessage(tr("New project from %1").arg(QString::fromStdString(folder.string())),
                             5000);
    return true;
}

void MainWindow::newProject() {
    const QString folder = defaultTemplate();
    if (folder.isEmpty() || !QFileInfo(folder).isDir()) {
        if (maybeSave())
            replaceDocument(std::make_unique<widgets::GraphDocument>());
        return;
    }
    openUntitledCopy(folder.toStdString(), tr("Untitled"));
}

void MainWindow::fillTemplatesMenu() {
    m_templatesMenu->clear();
    const QString folder = templatesFolder();
    const QStringList names =
        folder.isEmpty() ? QStringList()
                         : QDir(folder).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString& name : names) {
        const QString path = QDir(folder).filePath(name);
        // Only folders that hold a project; a README-only folder is not a template.
        if (QDir(path).entryList({QStringLiteral("*") + kProjectSuffix}, QDir::Files).isEmpty())
            continue;
        QAction* action = m_templatesMenu->addAction(
            name, this, [this, path] { openUntitledCopy(path.toStdString()); });
        action->setStatusTip(path);
    }
    if (m_templatesMenu->isEmpty())
        m_templatesMenu->addAction(tr("No templates found"))->setEnabled(false);
}

bool MainWindow::save() {
    if (m_document->filePath().empty())
        return saveAs();
    return saveTo(m_document->filePath());
}

bool MainWindow::saveAs() {
    const auto& folder = m_document->project().folder;
    QString start = folder.empty() ? QDir::homePath() : QString::fromStdString(folder.string());
    start = QDir(start).filePath(
        m_document->filePath().empty()
            ? QStringLiteral("untitled") + kProjectSuffix
            : QString::fromStdString(m_document->filePath().filename().string()));
    QString file = QFileDialog::getSaveFileName(this, tr("Save Project As"), start,
                                                tr("CRL projects (*.crl.json)"));
    if (file.isEmpty())
        return false;
    if (!file.endsWith(kProjectSuffix))
        file += kProjectSuffix;
    return saveTo(file.toStdString());
}

bool MainWindow::saveTo(const std::filesystem::path& file) {
    const QString shown = QString::fromStdString(file.string());
    try {
        m_document->saveAs(std::filesystem::absolute(file));
    } catch (const std::exception& error) {
        // io::saveProject is atomic: the file on disk is still the previous version.
        qCWarning(lcWindow) << "cannot save" << shown << ":" << error.what();
        QMessageBox::critical(
            this, tr("Cannot save project"),
            tr("%1 was not saved: %2").arg(shown, QString::fromUtf8(error.what())));
        return false;
    }

    m_summary->setProject(m_document->project());
    rememberRecent(QString::fromStdString(m_document->filePath().string()));
    statusBar()->showMessage(tr("Saved %1").arg(shown), 5000);
    return true;
}

bool MainWindow::maybeSave() {
    if (!m_document->isModified())
        return true;
    const auto answer = QMessageBox::warning(
        this, tr("Unsaved changes"),
        tr("%1 has unsaved changes. Save them?").arg(m_document->displayName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

bool MainWindow::maybeStopRun() {
    if (!m_run->controller()->isActive())
        return true;
    const auto answer = QMessageBox::question(
        this, tr("A run is training"),
        tr("A run of %1 is still training. Stop it and close? The run keeps a checkpoint of "
           "the step it stops at in its run folder.")
            .arg(m_document->displayName()),
        QMessageBox::Close | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Close)
        return false;
    m_run->stopRun();
    return true;
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeStopRun() || !maybeSave()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    event->accept();
}

void MainWindow::replaceDocument(std::unique_ptr<widgets::GraphDocument> document) {
    widgets::GraphDocument* old = m_document;
    widgets::EditorScene* oldScene = m_scene;
    m_document = document.release();
    m_document->setParent(this);
    m_scene = new widgets::EditorScene(m_document, this);

    m_undoGroup->addStack(m_document->undoStack());
    m_undoGroup->setActiveStack(m_document->undoStack());
    m_view->setEditorScene(m_scene);
    m_inspector->setDocument(m_document);
    m_summary->setProject(m_document->project());
    if (m_run != nullptr)
        m_run->setProject(m_document->project());

    connect(m_scene, &QGraphicsScene::selectionChanged, this, &MainWindow::showSelectedNode);
    connect(m_scene, &widgets::EditorScene::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(m_document->undoStack(), &QUndoStack::cleanChanged, this, &MainWindow::updateTitle);
    connect(m_document, &widgets::GraphDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(m_document, &widgets::GraphDocument::problemsChanged, this,
            &MainWindow::updateProblems);
    connect(m_document, &widgets::GraphDocument::runSettingsChanged, this, [this] {
        if (m_run != nullptr)
            m_run->setProject(m_document->project());
    });
    // The summary shows run settings and what the monitor nodes will measure: any edit counts.
    connect(m_document, &widgets::GraphDocument::graphChanged, this,
            [this] { m_summary->setProject(m_document->project()); });
    updateTitle();
    updateProblems();

    emit documentReplaced(m_document);
    delete oldScene;
    delete old;
}

void MainWindow::updateTitle() {
    QString name = m_document->displayName();
    if (m_document->filePath().empty())
        name += tr(" (not saved yet)");
    setWindowTitle(tr("%1[*] — CRL Workbench").arg(name));
    setWindowFilePath(QString::fromStdString(m_document->filePath().string()));
    setWindowModified(m_document->isModified());
}

void MainWindow::updateProblems() {
    QStringList all = m_document->graphProblems();
    for (const auto& [id, problems] : m_document->nodeProblems())
        all += problems;
    m_problems->setText(all.isEmpty() ? tr("Pipeline valid")
                                      : tr("%n problem(s)", nullptr, static_cast<int>(all.size())));
    m_problems->setToolTip(all.join(QLatin1Char('\n')));
}

void MainWindow::showSelectedNode() {
    const std::vector<std::string> selected = m_scene->selectedNodeIds();
    m_inspector->showNode(selected.size() == 1 ? selected.front() : std::string());
}

void MainWindow::chooseAndOpenProject() {
    const auto& folder = m_document->project().folder;
    const QString start = folder.empty() ? QString() : QString::fromStdString(folder.string());
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
