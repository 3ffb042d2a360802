// MainWindow: a hand-written project the CLI accepts opens with its name in the title; an edit
// marks the title unsaved and saving clears the mark and lists the file under Open Recent;
// closing with unsaved changes asks first; a broken file leaves the open project in place;
// the Templates menu lists projects/; the tool bar carries the run actions; the run panel's
// settings are part of the project (undoable, saved, the device left "auto" until picked).

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QFormLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QtTest>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "MonitorOften.h"
#include "app/workbench/MainWindow.h"
#include "app/workbench/RunController.h"
#include "app/workbench/RunWorkspace.h"
#include "io/ProjectFile.h"
#include "widgets/ProjectSummaryView.h"
#include "widgets/editor/GraphDocument.h"
#include "widgets/run/RunPanel.h"

using crl::app::MainWindow;

namespace {

const std::filesystem::path kDefaultProject =
    std::filesystem::path(CRL_SOURCE_DIR) / "projects/simclr-fashion-mnist";

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// Answers the next message box with `button` once it is shown; records its text.
void answerNextMessageBox(QMessageBox::StandardButton button, QString* text = nullptr) {
    QTimer::singleShot(0, [button, text] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        QVERIFY(box != nullptr);
        if (text != nullptr)
            *text = box->text();
        box->button(button)->click();
    });
}

QMenu* menuTitled(const MainWindow& window, const QString& title) {
    for (QMenu* menu : window.findChildren<QMenu*>())
        if (menu->title() == title)
            return menu;
    return nullptr;
}

/// The value the Project dock's run-settings form shows beside `label`; empty when absent.
QString summaryField(const MainWindow& window, const QString& label) {
    const auto* summary = window.findChild<crl::widgets::ProjectSummaryView*>();
    const auto* form = summary != nullptr ? summary->findChild<QFormLayout*>() : nullptr;
    for (int row = 0; form != nullptr && row < form->rowCount(); ++row) {
        const auto* name =
            qobject_cast<QLabel*>(form->itemAt(row, QFormLayout::LabelRole)->widget());
        if (name != nullptr && name->text() == label)
            return qobject_cast<QLabel*>(form->itemAt(row, QFormLayout::FieldRole)->widget())
                ->text();
    }
    return {};
}

}  // namespace

class MainWindowTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;

private slots:
    void initTestCase() {
        // Recent files and window state go to a throw-away place, not the user's settings.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
        QCoreApplication::setOrganizationName(QStringLiteral("CRL Workbench Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("MainWindowTest"));
    }

    void aHandWrittenProjectOpensWithItsNameInTheTitle() {
        // As a user writes one by hand: no positions, the CLI's own validation accepts it.
        QTemporaryDir dir;
        nlohmann::json json =
            nlohmann::json::parse(readFile(crl::io::resolveProjectPath(kDefaultProject)));
        json["name"] = "Hand written";
        for (nlohmann::json& node : json["graph"]["nodes"])
            node.erase("position");
        const std::filesystem::path file = dir.filePath("hand.crl.json").toStdString();
        std::ofstream(file) << json.dump(2);

        MainWindow window;
        QVERIFY(window.openProject(file));
        QVERIFY(window.windowTitle().contains("Hand written"));
        QVERIFY(!window.isWindowModified());
        QVERIFY(window.document()->isValid());
        QCOMPARE(window.document()->graph().nodes.size(), std::size_t{8});
    }

    void anEditMarksTheTitleAndSavingClearsItAndRemembersTheFile() {
        QTemporaryDir dir;
        MainWindow window;
        QVERIFY(window.openProject(kDefaultProject));
        QVERIFY(!window.isWindowModified());

        window.document()->moveNodes({{"head", {800.0, 150.0}}});
        QVERIFY(window.isWindowModified());

        const std::filesystem::path file = dir.filePath("moved.crl.json").toStdString();
        QVERIFY(window.saveTo(file));
        QVERIFY(!window.isWindowModified());
        QCOMPARE(crl::io::loadProject(file).graph.findNode("head")->x, 800.0);

        QMenu* recent = menuTitled(window, "Open &Recent");
        QVERIFY(recent != nullptr);
        emit recent->aboutToShow();
        QVERIFY(!recent->actions().isEmpty());
        QCOMPARE(recent->actions().first()->text(), QString("moved.crl.json"));
        QCOMPARE(recent->actions().first()->statusTip(),
                 QString::fromStdString(std::filesystem::absolute(file).string()));
    }

    void closingWithUnsavedChangesAsksAndCancelKeepsTheWindow() {
        MainWindow window;
        window.show();
        QVERIFY(window.openProject(kDefaultProject));
        window.document()->moveNodes({{"head", {900.0, 150.0}}});

        QString question;
        answerNextMessageBox(QMessageBox::Cancel, &question);
        QVERIFY(!window.close());
        QVERIFY(question.contains("unsaved changes"));
        QVERIFY(window.isVisible());
        QVERIFY(window.isWindowModified());

        answerNextMessageBox(QMessageBox::Discard);
        QVERIFY(window.close());
    }

    void aBrokenFileLeavesTheOpenProjectInPlace() {
        QTemporaryDir dir;
        const std::filesystem::path broken = dir.filePath("broken.crl.json").toStdString();
        std::ofstream(broken) << "{\"format\": \"crl-workbench-project\", \"version\": 1,";

        MainWindow window;
        window.show();
        QVERIFY(window.openProject(kDefaultProject));
        QString error;
        answerNextMessageBox(QMessageBox::Ok, &error);
        QVERIFY(!window.openProject(broken));
        QVERIFY2(error.contains("broken.crl.json"), qPrintable(error));
        QCOMPARE(window.project().name, std::string("SimCLR on Fashion-MNIST"));
    }

    void theTemplatesMenuListsTheShippedProjects() {
        MainWindow window;
        QMenu* templates = menuTitled(window, "New from &Template");
        QVERIFY(templates != nullptr);
        emit templates->aboutToShow();
        QStringList names;
        for (const QAction* action : templates->actions())
            names << action->text();
        QVERIFY2(names.contains("simclr-fashion-mnist"), qPrintable(names.join(", ")));
    }

    void runPanelEditsAreUndoableAndSavedWithTheProject() {
        QTemporaryDir dir;
        MainWindow window;
        QVERIFY(window.openProject(kDefaultProject));
        crl::widgets::RunPanel* panel = window.runWorkspace()->runPanel();
        const crl::train::RunSettings shipped = window.document()->project().run;
        QCOMPARE(panel->epochsBox()->value(), shipped.epochs);
        QVERIFY(shipped.epochs != 4 && shipped.epochs != 40);  // else the edits below are no-ops

        // Typing 4 then 40 in the spin box is one undo step; the samples another.
        panel->epochsBox()->setValue(4);
        panel->epochsBox()->setValue(40);
        panel->samplesBox()->setValue(5000);
        QVERIFY(window.isWindowModified());
        QCOMPARE(window.document()->project().run.epochs, 40);
        QCOMPARE(window.document()->project().run.maxSamples, std::int64_t{5000});
        QCOMPARE(window.document()->undoStack()->count(), 2);
        QCOMPARE(summaryField(window, "Epochs"), QString("40"));
        QCOMPARE(summaryField(window, "Train samples"), QString("5000"));

        const std::filesystem::path file = dir.filePath("settings.crl.json").toStdString();
        QVERIFY(window.saveTo(file));
        const crl::io::Project saved = crl::io::loadProject(file);
        QCOMPARE(saved.run.epochs, 40);
        QCOMPARE(saved.run.maxSamples, std::int64_t{5000});
        // The panel shows the device "auto" resolves to; the file keeps "auto".
        QCOMPARE(saved.run.device, std::string("auto"));

        // Undo puts the project and the panel back.
        window.document()->undoStack()->undo();
        QCOMPARE(window.document()->project().run.maxSamples, std::int64_t{0});
        QCOMPARE(window.document()->project().run.epochs, 40);
        window.document()->undoStack()->undo();
        QCOMPARE(window.document()->project().run, shipped);
        QCOMPARE(panel->epochsBox()->value(), shipped.epochs);
        QCOMPARE(panel->samplesBox()->value(), 0);
        QCOMPARE(summaryField(window, "Epochs"), QString::number(shipped.epochs));
        QVERIFY(window.isWindowModified());  // the file on disk holds the edit
    }

    void editingDuringARunLeavesItAloneAndClosingAsksToStopIt() {
        // A small copy of the default project in a folder of its own (its runs/ land there).
        QTemporaryDir dir;
        crl::io::Project project = crl::io::loadProject(kDefaultProject);
        project.run.epochs = 4;
        project.run.batchSize = 64;
        project.run.device = "cpu";
        project.run.maxSamples = 2048;
        project.run.maxEvalSamples = 500;
        crl::testing::monitorOften(project.graph, 4, 128);
        const std::filesystem::path file = dir.filePath("small.crl.json").toStdString();
        crl::io::saveProject(project, file);

        MainWindow window;
        window.show();
        QVERIFY(window.openProject(file));
        crl::app::RunController* controller = window.runWorkspace()->controller();
        std::int64_t lastStep = 0;
        connect(controller, &crl::app::RunController::eventsReady, this,
                [&lastStep](const QVector<crl::train::RunEvent>& events) {
                    for (const crl::train::RunEvent& event : events)
                        if (event.kind == crl::train::RunEvent::Kind::Step)
                            lastStep = event.step;
                });
        window.runWorkspace()->startRun();
        QTRY_VERIFY_WITH_TIMEOUT(lastStep >= 2, 120000);

        // Edits, even ones that leave the graph invalid, do not reach the running copy.
        QVERIFY(
            window.document()->setParameter("loss", "temperature", crl::graph::ParamValue{0.5}));
        QVERIFY(window.document()->remove({"head"}));
        QVERIFY(!window.document()->isValid());
        const std::int64_t stepAtEdit = lastStep;
        QTRY_VERIFY_WITH_TIMEOUT(lastStep >= stepAtEdit + 3, 120000);
        QVERIFY(controller->isActive());
        QVERIFY(window.saveTo(file));

        // Closing asks first; Cancel leaves the run training.
        QString question;
        answerNextMessageBox(QMessageBox::Cancel, &question);
        QVERIFY(!window.close());
        QVERIFY2(question.contains("still training"), qPrintable(question));
        QVERIFY(controller->isActive());

        // Close stops it, and the stopped run keeps a checkpoint.
        const QString runFolder = controller->runFolder();
        answerNextMessageBox(QMessageBox::Close);
        QVERIFY(window.close());
        QTRY_VERIFY_WITH_TIMEOUT(!controller->isActive(), 120000);
        QVERIFY2(QFile::exists(runFolder + "/checkpoints/last.pt"), qPrintable(runFolder));
        QVERIFY(lastStep < 4 * 32);
    }

    void theToolBarCarriesFileEditAndRunActions() {
        MainWindow window;
        const QList<QToolBar*> bars = window.findChildren<QToolBar*>();
        QCOMPARE(bars.size(), 1);
        QStringList texts;
        for (const QAction* action : bars.first()->actions())
            if (!action->isSeparator())
                texts << action->text().remove('&');
        for (const char* expected :
             {"New", "Open…", "Save", "Undo", "Redo", "Run", "Pause", "Stop"})
            QVERIFY2(texts.contains(expected), qPrintable(texts.join(", ")));
    }
};

QTEST_MAIN(MainWindowTest)
#include "MainWindowTest.moc"
