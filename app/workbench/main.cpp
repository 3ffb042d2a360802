// crl-workbench [PROJECT]: opens PROJECT (a *.crl.json file or a project folder), or the
// bundled SimCLR example when none is named.

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QTimer>

#include <filesystem>

#include "app/workbench/MainWindow.h"
#include "common/Log.h"

Q_LOGGING_CATEGORY(lcCore, "crl.core")

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

/// core/ reports through a sink; in the GUI it lands in Qt's log under one category.
void forwardCoreLog() {
    crl::setLogSink([](crl::LogLevel level, const std::string& message) {
        const QString text = QString::fromStdString(message);
        switch (level) {
            case crl::LogLevel::Debug:
                qCDebug(lcCore).noquote() << text;
                break;
            case crl::LogLevel::Info:
                qCInfo(lcCore).noquote() << text;
                break;
            case crl::LogLevel::Warning:
                qCWarning(lcCore).noquote() << text;
                break;
            case crl::LogLevel::Error:
                qCCritical(lcCore).noquote() << text;
                break;
        }
    });
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CRL Workbench"));
    QApplication::setApplicationName(QStringLiteral("crl-workbench"));
    QApplication::setApplicationDisplayName(QStringLiteral("CRL Workbench"));
    QApplication::setApplicationVersion(QStringLiteral(CRL_VERSION));
    forwardCoreLog();

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Workbench for contrastive representation learning."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("project"),
        QStringLiteral("A *.crl.json file or a folder holding one (default: the SimCLR example)."),
        QStringLiteral("[PROJECT]"));
    parser.process(app);

    crl::app::MainWindow window;
    window.show();

    const QStringList arguments = parser.positionalArguments();
    const QString project = arguments.isEmpty() ? defaultProject() : arguments.first();
    // Opened from the event loop, so an error box has a visible window to belong to.
    if (!project.isEmpty())
        QTimer::singleShot(0, &window, [&window, project] {
            window.openProject(std::filesystem::path(project.toStdString()));
        });

    return app.exec();
}
