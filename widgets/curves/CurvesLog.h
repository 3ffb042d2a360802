#pragma once
// The curves module's logging category, crl.widgets.curves (defined in CurvesPanel.cpp).

#include <QLoggingCategory>

namespace crl::widgets {

Q_DECLARE_LOGGING_CATEGORY(lcCurves)

}  // namespace crl::widgets
