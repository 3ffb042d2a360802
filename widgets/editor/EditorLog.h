#pragma once
// The node editor's logging category, "crl.widgets.editor", shared by its files.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcEditor)
