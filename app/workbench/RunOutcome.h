#pragma once
// What a finished training run reports to the GUI: the torch-free mirror of the trainer's
// TrainResult, so that app/ headers and widgets never see LibTorch.

#include <QMetaType>
#include <QString>

#include <cstdint>

namespace crl::app {

struct RunOutcome {
    bool stopped = false;     ///< stopped by the user before the planned epochs
    std::int64_t steps = 0;   ///< optimiser steps done, resumed ones included
    std::int64_t epochs = 0;  ///< epochs completed
    double seconds = 0.0;
    double knnTop1 = 0.0;
    double initialKnnTop1 = -1.0;  ///< before training; -1 when resumed
    double alignment = 0.0;
    double uniformity = 0.0;
    double collapse = 0.0;
    double viewsPerSecond = 0.0;
    QString device;
    QString runFolder;
    QString lastCheckpoint;  ///< empty when none was written
};

}  // namespace crl::app

Q_DECLARE_METATYPE(crl::app::RunOutcome)
