// crl-workbench [--run] [--screenshot FILE [--screenshot-after S]] [PROJECT]: opens PROJECT (a
// *.crl.json file or a project folder), or the bundled SimCLR example when none is named; --run
// starts training it at once; --screenshot saves a PNG of the window after S seconds and quits
// (packaging/screenshot.sh takes the README's pictures with it under Xvfb). core/'s log reaches
// the Log dock (and Qt's log under crl.core) through the run workspace.

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QIcon>
#include <QTimer>

#include <cstdio>
#include <filesystem>

#include "app/workbench/MainWindow.h"
#include "app/workbench/RunWorkspace.h"

namespace {

/// The example project: the source tree's copy for a developer build, then the copy installed
/// beside the executable's prefix, then the system-wide one. Empty when none exists.
QString defaultProject() {
    const QString relative = QStringLiteral("projects/simclr-fashion-mnist");
    const QStringList candidates = {
        QStringLiteral(CRL_DEFAULT_PROJECT),
        QDir(QCoreApplication::applicationDirPath())
            .filePath(QStringLiteral("../share/crl-workbench/") + relative),
        QStringLiteral("/usr/share/crl-workbench/") + relative,
    };
    for (const QString& candidate : candidates)
        if (QFileInfo(candidate).isDir())
            return QDir::cleanPath(candidate);
    return {};
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CRL Workbench"));
    QApplication::setApplicationName(QStringLiteral("crl-workbench"));
    QApplication::setApplicationDisplayName(QStringLiteral("CRL Workbench"));
    QApplication::setApplicationVersion(QStringLiteral(CRL_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/crl/icons/crl-workbench.svg")));
    QApplication::setDesktopFileName(QStringLiteral("crl-workbench"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Workbench for contrastive representation learning."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("project"),
        QStringLiteral("A *.crl.json file or a folder holding one (default: the SimCLR example)."),
        QStringLiteral("[PROJECT]"));
    const QCommandLineOption run(QStringLiteral("run"),
                                 QStringLiteral("Start training the project once it is open."));
    parser.addOption(run);
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Save a PNG of the window to FILE (after --screenshot-after), then quit."),
        QStringLiteral("FILE"));
    const QCommandLineOption screenshotAfter(
        QStringLiteral("screenshot-after"),
        QStringLiteral("Seconds to wait before --screenshot (default 5)."),
        QStringLiteral("SECONDS"), QStringLiteral("5"));
    parser.addOption(screenshot);
    parser.addOption(screenshotAfter);
    parser.process(app);

    crl::app::MainWindow window;
    if (parser.isSet(screenshot)) {
        bool ok = false;
        const double seconds = parser.value(screenshotAfter).toDouble(&ok);
        if (!ok || seconds < 0) {
            std::fprintf(stderr, "crl-workbench: --screenshot-after takes seconds >= 0, not '%s'\n",
                         qPrintable(parser.value(screenshotAfter)));
            return 2;
        }
        window.resize(1600, 1000);
        const QString file = parser.value(screenshot);
        QTimer::singleShot(static_cast<int>(seconds * 1000), &window, [&window, file] {
            if (!window.grab().save(file, "PNG")) {
                qCritical("cannot write the screenshot %s", qPrintable(file));
                QCoreApplication::exit(1);
                return;
            }
            window.runWorkspace()->stopRun();
            QCoreApplication::quit();
        });
    }
    window.show();

    const QStringList arguments = parser.positionalArguments();
    const QString project = arguments.isEmpty() ? defaultProject() : arguments.first();
    // Opened from the event loop, so an error box has a visible window to belong to.
    const bool runAtOnce = parser.isSet(run);
    if (!project.isEmpty())
        QTimer::singleShot(0, &window, [&window, project, runAtOnce] {
            if (window.openProject(std::filesystem::path(project.toStdString())) && runAtOnce)
                window.runWorkspace()->startRun();
        });

    return app.exec();
}
