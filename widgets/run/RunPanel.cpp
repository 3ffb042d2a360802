#include "widgets/run/RunPanel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace crl::widgets {

RunPanel::RunPanel(QWidget* parent)
    : QWidget(parent),
      m_run(new QPushButton(tr("Run"))),
      m_pause(new QPushButton(tr("Pause"))),
      m_resume(new QPushButton(tr("Resume"))),
      m_stop(new QPushButton(tr("Stop"))),
      m_device(new QComboBox),
      m_epochs(new QSpinBox),
      m_batchSize(new QSpinBox),
      m_samples(new QSpinBox),
      m_progress(new QProgressBar),
      m_progressText(new QLabel),
      m_status(new QLabel) {
    m_run->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_pause->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
    m_resume->setIcon(style()->standardIcon(QStyle::SP_MediaSeekForward));
    m_stop->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    m_run->setToolTip(tr("Train the pipeline as it is now; later edits do not affect the run"));
    m_stop->setToolTip(tr("Stop after the current step and keep a checkpoint"));

    m_device->setToolTip(tr("cuda is offered only when a CUDA device is available"));
    m_epochs->setRange(1, 100000);
    m_batchSize->setRange(2, 1 << 16);
    m_batchSize->setToolTip(
        tr("N samples per step; each gives a query and a key view, and the "
           "other 2(N−1) views are its negatives"));
    m_samples->setRange(0, std::numeric_limits<int>::max());
    m_samples->setSingleStep(1000);
    m_samples->setSpecialValueText(tr("all"));
    m_samples->setToolTip(tr("Training images used; \"all\" uses the whole training split"));

    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_progress->setFormat(QStringLiteral("%p%"));
    m_progressText->setWordWrap(true);
    m_progressText->setText(tr("not started"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setText(tr("Ready."));

    auto* buttons = new QGridLayout;
    buttons->addWidget(m_run, 0, 0);
    buttons->addWidget(m_stop, 0, 1);
    buttons->addWidget(m_pause, 1, 0);
    buttons->addWidget(m_resume, 1, 1);
    auto* form = new QFormLayout;
    form->addRow(tr("Device"), m_device);
    form->addRow(tr("Epochs"), m_epochs);
    form->addRow(tr("Batch size"), m_batchSize);
    form->addRow(tr("Samples"), m_samples);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addLayout(form);
    layout->addWidget(m_progressText);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addStretch(1);

    connect(m_run, &QPushButton::clicked, this, &RunPanel::runRequested);
    connect(m_pause, &QPushButton::clicked, this, &RunPanel::pauseRequested);
    connect(m_resume, &QPushButton::clicked, this, &RunPanel::resumeRequested);
    connect(m_stop, &QPushButton::clicked, this, &RunPanel::stopRequested);
    for (QSpinBox* box : {m_epochs, m_batchSize, m_samples})
        connect(box, &QSpinBox::valueChanged, this, [this] {
            if (!m_filling)
                emit settingsEdited();
        });
    // activated: only a user's pick, never setCurrentText() from setSettings().
    connect(m_device, &QComboBox::activated, this, [this] {
        m_deviceChosen = true;
        emit settingsEdited();
    });
    setDevices({QStringLiteral("cpu")});
    setState(State::Idle);
}

void RunPanel::setDevices(const QStringList& devices) {
    const QString current = m_device->currentText();
    m_device->clear();
    m_device->addItems(devices);
    if (devices.contains(current))
        m_device->setCurrentText(current);
}

QStringList RunPanel::devices() const {
    QStringList all;
    for (int i = 0; i < m_device->count(); ++i)
        all << m_device->itemText(i);
    return all;
}

namespace {

/// The value `box` shows for `value`: the value, or the nearest one inside the box's range.
int shownValue(const QSpinBox* box, std::int64_t value) {
    return static_cast<int>(std::clamp<std::int64_t>(value, box->minimum(), box->maximum()));
}

}  // namespace

void RunPanel::setSettings(const train::RunSettings& settings) {
    m_filling = true;
    // Only what differs: rewriting a spin box the user is typing in would move the cursor.
    const auto fill = [](QSpinBox* box, std::int64_t value) {
        const int clamped = shownValue(box, value);
        if (box->value() != clamped)
            box->setValue(clamped);
    };
    fill(m_epochs, settings.epochs);
    fill(m_batchSize, settings.batchSize);
    fill(m_samples, settings.maxSamples);

    const QString device = QString::fromStdString(settings.device);
    m_deviceChosen = m_device->findText(device) >= 0;
    if (m_deviceChosen)
        m_device->setCurrentText(device);
    else
        m_device->setCurrentIndex(m_device->count() - 1);
    m_filling = false;
}

train::RunSettings RunPanel::settings(train::RunSettings base) const {
    base.epochs = m_epochs->value();
    base.batchSize = m_batchSize->value();
    base.maxSamples = m_samples->value();
    if (m_device->count() > 0)
        base.device = m_device->currentText().toStdString();
    return base;
}

train::RunSettings RunPanel::projectSettings(train::RunSettings base) const {
    const train::RunSettings project = base;
    base = settings(std::move(base));
    if (!m_deviceChosen)
        base.device = project.device;
    // A value outside a box's range is shown clamped; unless the user changed that box, the
    // project keeps its own value (validation, not the panel, says what is wrong with it).
    if (m_epochs->value() == shownValue(m_epochs, project.epochs))
        base.epochs = project.epochs;
    if (m_batchSize->value() == shownValue(m_batchSize, project.batchSize))
        base.batchSize = project.batchSize;
    if (m_samples->value() == shownValue(m_samples, project.maxSamples))
        base.maxSamples = project.maxSamples;
    return base;
}

void RunPanel::setState(State state) {
    m_state = state;
    const bool idle = state == State::Idle;
    m_run->setEnabled(idle);
    m_pause->setEnabled(state == State::Running);
    m_resume->setEnabled(state == State::Paused);
    m_stop->setEnabled(state == State::Running || state == State::Paused ||
                       state == State::Starting);
    for (QWidget* input : {static_cast<QWidget*>(m_device), static_cast<QWidget*>(m_epochs),
                           static_cast<QWidget*>(m_batchSize), static_cast<QWidget*>(m_samples)})
        input->setEnabled(idle);
}

void RunPanel::setProgress(std::int64_t epoch, std::int64_t epochs, std::int64_t step,
                           std::int64_t totalSteps, double secondsLeft) {
    const double fraction =
        totalSteps > 0 ? std::clamp(static_cast<double>(step) / totalSteps, 0.0, 1.0) : 0.0;
    m_progress->setValue(static_cast<int>(std::lround(fraction * m_progress->maximum())));

    QString text = tr("epoch %1/%2 · step %3/%4").arg(epoch).arg(epochs).arg(step).arg(totalSteps);
    if (secondsLeft >= 0.0)
        text += tr(" · ETA %1").arg(formatDuration(secondsLeft));
    m_progressText->setText(text);
}

void RunPanel::setStatus(const QString& text) {
    m_status->setText(text);
}

QString RunPanel::statusText() const {
    return m_status->text();
}

QString RunPanel::progressText() const {
    return m_progressText->text();
}

QString RunPanel::formatDuration(double seconds) {
    const auto total = static_cast<long long>(std::llround(std::max(0.0, seconds)));
    const long long hours = total / 3600;
    const long long minutes = total % 3600 / 60;
    const long long rest = total % 60;
    if (hours > 0)
        return QStringLiteral("%1h %2m").arg(hours).arg(minutes, 2, 10, QLatin1Char('0'));
    if (minutes > 0)
        return QStringLiteral("%1m %2s").arg(minutes).arg(rest, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1s").arg(rest);
}

}  // namespace crl::widgets
