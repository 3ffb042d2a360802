#include "app/workbench/LogForwarder.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcCore, "crl.core")

namespace crl::app {

LogForwarder::LogForwarder(QObject* parent) : QObject(parent) {
    setLogSink([this](LogLevel level, const std::string& text) {
        const QString line = QString::fromStdString(text);
        switch (level) {
            case LogLevel::Debug:
                qCDebug(lcCore).noquote() << line;
                break;
            case LogLevel::Info:
                qCInfo(lcCore).noquote() << line;
                break;
            case LogLevel::Warning:
                qCWarning(lcCore).noquote() << line;
                break;
            case LogLevel::Error:
                qCCritical(lcCore).noquote() << line;
                break;
        }
        emit message(level, line);
    });
}

LogForwarder::~LogForwarder() {
    setLogSink({});
}

}  // namespace crl::app
