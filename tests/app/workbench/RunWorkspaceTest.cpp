// The run docks in a main window: Run (F5) trains the window's project with the panel's
// settings and the curves, progress and log follow; a failing run shows a message box and a
// log entry and leaves the window usable; core's log reaches the log dock from any thread.

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <thread>

#include "MonitorOften.h"
#include "app/workbench/RunController.h"
#include "app/workbench/RunWorkspace.h"
#include "common/Log.h"
#include "io/ProjectFile.h"
#include "widgets/curves/CollapseAlarm.h"
#include "widgets/curves/CurvePlot.h"
#include "widgets/curves/CurvesPanel.h"
#include "widgets/curves/LossCurve.h"
#include "widgets/log/LogPanel.h"
#include "widgets/run/RunPanel.h"

using crl::app::RunController;
using crl::app::RunWorkspace;
using crl::widgets::RunPanel;

namespace {

constexpr int kRunTimeoutMs = 300000;

/// The default project, copied into `folder` so its runs/ land there, with a tiny run.
crl::io::Project tinyProject(const QTemporaryDir& folder) {
    crl::io::Project project = crl::io::loadProject(std::filesystem::path(CRL_SOURCE_DIR) /
                                                    "projects/simclr-fashion-mnist");
    project.folder = folder.path().toStdString();
    project.run.epochs = 1;
    project.run.batchSize = 64;
    project.run.device = "cpu";
    project.run.threads = 2;
    project.run.maxSamples = 256;
    project.run.maxEvalSamples = 500;
    crl::testing::monitorOften(project.graph, 2, 128);
    return project;
}

}  // namespace

class RunWorkspaceTest : public QObject {
    Q_OBJECT

private slots:
    void runTrainsTheWindowsProjectAndTheDocksFollow() {
        QTemporaryDir folder;
        crl::io::Project project = tinyProject(folder);
        QMainWindow window;
        RunWorkspace workspace(&window, [&project] { return project; });
        QMenu* menu = workspace.addMenu(window.menuBar());
        workspace.setProject(project);
        QSignalSpy finished(workspace.controller(), &RunController::finished);

        QCOMPARE(workspace.docks().size(), 3);
        QCOMPARE(workspace.runPanel()->epochsBox()->value(), 1);
        QCOMPARE(workspace.runPanel()->samplesBox()->value(), 256);
        QCOMPARE(menu->actions().at(0)->shortcut(), QKeySequence(Qt::Key_F5));
        QCOMPARE(workspace.curves()->collapseAlarm()->embeddingDimension(), 128);

        workspace.runPanel()->runButton()->click();
        // Loading data and measuring the initial encoder come before the first step.
        QCOMPARE(workspace.runPanel()->state(), RunPanel::State::Starting);
        QVERIFY(!workspace.runPanel()->runButton()->isEnabled());
        QVERIFY(workspace.runPanel()->stopButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), kRunTimeoutMs);

        QCOMPARE(workspace.runPanel()->state(), RunPanel::State::Idle);
        QCOMPARE(workspace.curves()->lossCurve()->plot()->pointCount(0), 4);
        QVERIFY(workspace.curves()->knnPlot()->pointCount(0) >= 1);
        QVERIFY(workspace.curves()->alignmentPlot()->pointCount(0) >= 2);
        QVERIFY(workspace.runPanel()->progressText().contains(QStringLiteral("step 4/4")));
        const QString log = workspace.log()->text();
        QVERIFY2(log.contains(QStringLiteral("run started")), qPrintable(log));
        QVERIFY2(log.contains(QStringLiteral("checkpoint kept")), qPrintable(log));
        QVERIFY(workspace.controller()->runFolder().startsWith(folder.filePath("runs")));
    }

    void aFailingRunShowsAMessageAndALogEntry() {
        QTemporaryDir folder;
        crl::io::Project project = tinyProject(folder);
        project.graph.findNode("data")->params["source"] = std::string("missing-images");
        QMainWindow window;
        window.show();
        RunWorkspace workspace(&window, [&project] { return project; });
        workspace.setProject(project);
        QSignalSpy failed(workspace.controller(), &RunController::failed);

        workspace.startRun();
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), kRunTimeoutMs);

        QTRY_VERIFY(window.findChild<QMessageBox*>() != nullptr);
        auto* box = window.findChild<QMessageBox*>();
        QVERIFY(box->text().contains(QStringLiteral("missing-images")));
        QVERIFY(workspace.log()->text().contains(QStringLiteral("error: ")));
        QVERIFY(workspace.runPanel()->runButton()->isEnabled());
        box->accept();
        // Usable: the next run can start.
        workspace.startRun();
        QCOMPARE(workspace.controller()->state(), RunController::State::Running);
        QTRY_VERIFY_WITH_TIMEOUT(failed.size() == 2, kRunTimeoutMs);
    }

    void coreLogReachesTheLogDockFromAnyThread() {
        QMainWindow window;
        RunWorkspace workspace(&window, [] { return crl::io::Project{}; });

        std::thread worker([] { crl::logWarning("prefetch fell behind"); });
        worker.join();

        QTRY_VERIFY(workspace.log()->text().contains(QStringLiteral("prefetch fell behind")));
        QVERIFY(workspace.log()->text().contains(QStringLiteral("warning: ")));
    }
};

QTEST_MAIN(RunWorkspaceTest)
#include "RunWorkspaceTest.moc"
