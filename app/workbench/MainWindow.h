#pragma once
// The workbench's main window: the node editor as its centre (canvas, palette and inspector
// docks over one GraphDocument), the project summary and the run docks around it, and the
// File, Edit and View menus. New, Open, Templates and Recent replace the document (asking
// first when it has unsaved changes) and announce the new one through documentReplaced().
// Errors from loading and saving reach the user in a message box with the full error text.

#include <QMainWindow>

#include <filesystem>
#include <memory>

#include "io/ProjectFile.h"

class QLabel;
class QMenu;
class QToolBar;
class QUndoGroup;

namespace crl::widgets {
class EditorScene;
class EditorView;
class GraphDocument;
class NodeInspector;
class NodePalette;
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

    /// Replaces the document with an untitled copy of the project in `folder` (a template);
    /// `name`, when given, renames the copy. False when cancelled or unreadable.
    bool openUntitledCopy(const std::filesystem::path& folder, const QString& name = {});

    /// The project being edited, as it is now.
    const io::Project& project() const;
    /// The document being edited; never null. Replaced on New/Open (see documentReplaced()).
    widgets::GraphDocument* document() const { return m_document; }
    widgets::EditorScene* editorScene() const { return m_scene; }
    widgets::EditorView* editorView() const { return m_view; }

    /// Writes the document to its file, asking for one when untitled. False on failure/cancel.
    bool save();
    bool saveAs();
    /// Writes the document to `file` and adopts it as the document's file.
    bool saveTo(const std::filesystem::path& file);

    /// The run panel, curves and log docks and the controller behind them.
    RunWorkspace* runWorkspace() const { return m_run; }

signals:
    /// A new document replaced the old one (Open, New, a template, a recent file); the old
    /// one is deleted after this returns.
    void documentReplaced(crl::widgets::GraphDocument* document);

protected:
    void closeEvent(QCloseEvent* event) override;

private slots:
    void chooseAndOpenProject();
    void fillRecentMenu();
    void fillTemplatesMenu();
    void newProject();

private:
    void createDocks();
    void createActions();
    void rememberRecent(const QString& file);
    void replaceDocument(std::unique_ptr<widgets::GraphDocument> document);
    /// Asks to save unsaved changes; false when the user cancels (or saving fails).
    bool maybeSave();
    /// Asks whether to stop an active run (which keeps a checkpoint); false when the user
    /// cancels.
    bool maybeStopRun();
    void updateTitle();
    void updateProblems();
    void showSelectedNode();

    widgets::GraphDocument* m_document = nullptr;
    widgets::EditorScene* m_scene = nullptr;
    widgets::EditorView* m_view;
    widgets::NodePalette* m_palette;
    widgets::NodeInspector* m_inspector;
    widgets::ProjectSummaryView* m_summary;
    QUndoGroup* m_undoGroup;
    QLabel* m_problems;
    QMenu* m_recentMenu = nullptr;
    QToolBar* m_toolBar = nullptr;
    QMenu* m_templatesMenu = nullptr;
    RunWorkspace* m_run = nullptr;
};

}  // namespace crl::app
