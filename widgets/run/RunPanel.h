#pragma once
// The controls of a training run: Run, Pause, Resume and Stop (enabled by the run's state), the
// device (cpu, plus cuda only where one is available), the epochs, batch size N and number of
// training samples (prefilled from the project's run settings), and a progress bar with epoch,
// step of total steps and the estimated time left. The panel only asks; the run controller
// in app/ acts and reports the state back through setState() and setProgress(). When the user
// edits a setting the panel says so (settingsEdited()), so the window can record the edit in
// the project, where Save keeps it and Undo takes it back.

#include <QStringList>
#include <QWidget>

#include <cstdint>

#include "train/RunSettings.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace crl::widgets {

class RunPanel : public QWidget {
    Q_OBJECT

public:
    enum class State { Idle, Starting, Running, Paused, Stopping };
    Q_ENUM(State)

    explicit RunPanel(QWidget* parent = nullptr);

    /// The devices offered, e.g. {"cpu"} or {"cpu", "cuda"}; keeps the choice when still offered.
    void setDevices(const QStringList& devices);
    QStringList devices() const;

    /// Prefills epochs, batch size, samples and device from a project's run settings; "auto"
    /// picks the last (fastest) device offered.
    void setSettings(const train::RunSettings& settings);
    /// `base` with the panel's epochs, batch size, samples and device applied: what a run
    /// started now trains with.
    train::RunSettings settings(train::RunSettings base) const;
    /// `base` with the settings as the project should record them: like settings(), but the
    /// device stays as `base` has it ("auto", or a device this machine lacks) until the user
    /// picks one.
    train::RunSettings projectSettings(train::RunSettings base) const;

    State state() const { return m_state; }
    void setState(State state);

    /// Shows epoch `epoch` of `epochs`, `step` of `totalSteps` and the time left (< 0: unknown).
    void setProgress(std::int64_t epoch, std::int64_t epochs, std::int64_t step,
                     std::int64_t totalSteps, double secondsLeft);
    void setStatus(const QString& text);
    QString statusText() const;
    QString progressText() const;

    /// "1h 02m", "3m 20s", "45s".
    static QString formatDuration(double seconds);

    QPushButton* runButton() const { return m_run; }
    QPushButton* pauseButton() const { return m_pause; }
    QPushButton* resumeButton() const { return m_resume; }
    QPushButton* stopButton() const { return m_stop; }
    QComboBox* deviceBox() const { return m_device; }
    QSpinBox* epochsBox() const { return m_epochs; }
    QSpinBox* batchSizeBox() const { return m_batchSize; }
    QSpinBox* samplesBox() const { return m_samples; }

signals:
    /// The user changed the device, epochs, batch size or samples (not setSettings()).
    void settingsEdited();
    void runRequested();
    void pauseRequested();
    void resumeRequested();
    void stopRequested();

private:
    QPushButton* m_run;
    QPushButton* m_pause;
    QPushButton* m_resume;
    QPushButton* m_stop;
    QComboBox* m_device;
    QSpinBox* m_epochs;
    QSpinBox* m_batchSize;
    QSpinBox* m_samples;
    QProgressBar* m_progress;
    QLabel* m_progressText;  ///< beside the bar: a narrow dock would cut the bar's own text
    QLabel* m_status;
    State m_state = State::Idle;
    bool m_filling = false;       ///< setSettings() is writing the controls
    bool m_deviceChosen = false;  ///< the device shown is the project's own or the user's pick
};

}  // namespace crl::widgets
