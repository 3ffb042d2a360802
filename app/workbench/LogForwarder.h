#pragma once
// Installs core's log sink for the workbench: every message core/ logs, from whichever thread
// (the training worker, the data prefetcher), is written to Qt's log under crl.core and
// re-emitted as message(); connect it queued to a widget on the GUI thread. Removes the sink
// when destroyed, so core never calls into a deleted object.

#include <QObject>
#include <QString>

#include "common/Log.h"

namespace crl::app {

class LogForwarder : public QObject {
    Q_OBJECT

public:
    explicit LogForwarder(QObject* parent = nullptr);
    ~LogForwarder() override;

signals:
    /// Emitted on the thread that logged; receivers on the GUI thread get it queued.
    void message(crl::LogLevel level, const QString& text);
};

}  // namespace crl::app
