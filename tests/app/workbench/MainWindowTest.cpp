// MainWindow: a hand-written project the CLI accepts opens with its name in the title; an edit
// marks the title unsaved and saving clears the mark and lists the file under Open Recent;
// closing with unsaved changes asks first; a broken file leaves the open project in place;
// the Templates menu lists projects/; the tool bar carries the run actions.

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolBar>
#include <QtTest>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/workbench/MainWindow.h"
#include "io/ProjectFile.h"
#include "widgets/editor/GraphDocument.h"

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
