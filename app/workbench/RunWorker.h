#pragma once
// Runs one training run on the thread it was moved to: builds the core trainer for a snapshot
// of the project and calls its run(). Every exception (UserError, c10::Error, any other
// std::exception) ends as failed() with the message, never as a crash. Only RunWorker.cpp
// includes the torch-heavy Trainer.h; this header stays torch-free.

#include <QObject>
#include <QString>

#include <filesystem>
#include <memory>

#include "app/workbench/RunOutcome.h"
#include "io/ProjectFile.h"
#include "train/RunEvents.h"
#include "train/RunSettings.h"

namespace crl::app {

class RunWorker : public QObject {
    Q_OBJECT

public:
    /// `sink` and `control` must outlive the run; `project` is a copy the GUI no longer touches.
    RunWorker(io::Project project, train::RunSettings settings, std::filesystem::path runFolder,
              train::RunSink& sink, std::shared_ptr<train::RunControl> control);

public slots:
    /// Trains until done, stopped or failed; emits exactly one of finished() and failed().
    void run();

signals:
    void finished(const crl::app::RunOutcome& outcome);
    void failed(const QString& message);

private:
    io::Project m_project;
    train::RunSettings m_settings;
    std::filesystem::path m_runFolder;
    train::RunSink& m_sink;
    std::shared_ptr<train::RunControl> m_control;
};

}  // namespace crl::app
