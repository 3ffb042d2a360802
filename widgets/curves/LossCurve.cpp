#include "widgets/curves/LossCurve.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "widgets/curves/CurvePlot.h"

namespace crl::widgets {

namespace {

constexpr int kSliderSteps = 1000;

}  // namespace

LossCurve::LossCurve(QWidget* parent)
    : QWidget(parent),
      m_plot(new CurvePlot(tr("Loss"), tr("step"), tr("loss"))),
      m_slider(new QSlider(Qt::Horizontal)),
      m_sliderLabel(new QLabel) {
    m_raw = m_plot->addSeries(tr("loss"), QColor(31, 119, 180, 90));
    m_smooth = m_plot->addSeries(tr("smoothed"), QColor(31, 119, 180));

    m_slider->setRange(0, kSliderSteps - 1);
    m_slider->setToolTip(tr("Weight of the exponential moving average drawn over the raw loss"));
    auto* controls = new QHBoxLayout;
    controls->setContentsMargins(6, 0, 6, 0);
    controls->addWidget(new QLabel(tr("Smoothing")));
    controls->addWidget(m_slider, 1);
    controls->addWidget(m_sliderLabel);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_plot, 1);
    layout->addLayout(controls);

    connect(m_slider, &QSlider::valueChanged, this,
            [this](int value) { setSmoothing(static_cast<double>(value) / kSliderSteps); });
    m_slider->setValue(static_cast<int>(std::lround(m_smoothing * kSliderSteps)));
    m_sliderLabel->setText(QString::number(m_smoothing, 'f', 3));
}

QVector<QCPGraphData> LossCurve::smoothed(const QVector<QCPGraphData>& points, double smoothing) {
    QVector<QCPGraphData> result;
    result.reserve(points.size());
    double average = 0.0;
    double weightSum = 0.0;
    for (const QCPGraphData& point : points) {
        average = smoothing * average + (1.0 - smoothing) * point.value;
        weightSum = smoothing * weightSum + (1.0 - smoothing);
        result.append({point.key, average / weightSum});
    }
    return result;
}

void LossCurve::append(const QVector<QCPGraphData>& losses) {
    QVector<QCPGraphData> smooth;
    smooth.reserve(losses.size());
    for (const QCPGraphData& point : losses) {
        m_average = m_smoothing * m_average + (1.0 - m_smoothing) * point.value;
        m_weightSum = m_smoothing * m_weightSum + (1.0 - m_smoothing);
        smooth.append({point.key, m_average / m_weightSum});
    }

    m_plot->append(m_raw, losses);
    m_plot->append(m_smooth, smooth);
}

void LossCurve::setOverlay(const QVector<QCPGraphData>& losses, const QString& runName) {
    m_overlayRaw = losses;
    std::sort(m_overlayRaw.begin(), m_overlayRaw.end(),
              [](const QCPGraphData& a, const QCPGraphData& b) { return a.key < b.key; });
    m_overlayName = runName;
    m_plot->setOverlay(smoothed(m_overlayRaw, m_smoothing), runName);
}

void LossCurve::clearOverlay() {
    m_overlayRaw.clear();
    m_overlayName.clear();
    m_plot->clearOverlay();
}

void LossCurve::clearLive() {
    m_average = 0.0;
    m_weightSum = 0.0;
    m_plot->clearLive();
}

void LossCurve::refresh() {
    m_plot->refresh();
}

void LossCurve::setSmoothing(double weight) {
    weight = std::clamp(weight, 0.0, 0.999);
    if (weight == m_smoothing)
        return;
    m_smoothing = weight;
    m_sliderLabel->setText(QString::number(weight, 'f', 3));
    const int position = static_cast<int>(std::lround(weight * kSliderSteps));
    if (m_slider->value() != position) {
        const QSignalBlocker blocker(m_slider);
        m_slider->setValue(position);
    }

    resmooth();
    m_plot->refresh();
}

void LossCurve::resmooth() {
    const QCPGraphDataContainer& raw = m_plot->data(m_raw);
    const QVector<QCPGraphData> points(raw.constBegin(), raw.constEnd());
    QVector<QCPGraphData> smooth = smoothed(points, m_smoothing);

    // Carry the running state on, so later appends continue this curve.
    m_average = 0.0;
    m_weightSum = 0.0;
    for (const QCPGraphData& point : points) {
        m_average = m_smoothing * m_average + (1.0 - m_smoothing) * point.value;
        m_weightSum = m_smoothing * m_weightSum + (1.0 - m_smoothing);
    }
    m_plot->replace(m_smooth, smooth);
    if (!m_overlayRaw.isEmpty())
        m_plot->setOverlay(smoothed(m_overlayRaw, m_smoothing), m_overlayName);
}

}  // namespace crl::widgets
