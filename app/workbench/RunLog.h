#pragma once
// The run module's logging category, crl.app.run (defined in RunController.cpp).

#include <QLoggingCategory>

namespace crl::app {

Q_DECLARE_LOGGING_CATEGORY(lcRun)

}  // namespace crl::app
