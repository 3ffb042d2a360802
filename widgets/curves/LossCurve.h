#pragma once
// The training loss per optimiser step, raw (faint) and smoothed by an exponential moving
// average whose weight the user sets with a slider. The average is debiased the way
// TensorBoard does it, so the first steps are not pulled towards zero. An earlier run is
// overlaid smoothed with the same weight, so the two curves compare like for like.

#include <QVector>
#include <QWidget>

#include <qcustomplot.h>

class QLabel;
class QSlider;

namespace crl::widgets {

class CurvePlot;

class LossCurve : public QWidget {
    Q_OBJECT

public:
    explicit LossCurve(QWidget* parent = nullptr);

    /// Appends raw losses (keys = steps, not decreasing) and their smoothed values.
    void append(const QVector<QCPGraphData>& losses);
    void setOverlay(const QVector<QCPGraphData>& losses, const QString& runName);
    void clearOverlay();
    void clearLive();
    void refresh();

    /// Weight of the moving average in [0, 0.999]: 0 shows the raw loss.
    double smoothing() const { return m_smoothing; }
    void setSmoothing(double weight);

    CurvePlot* plot() const { return m_plot; }

    /// Debiased EMA of `points` with weight `smoothing`, one output point per input point.
    static QVector<QCPGraphData> smoothed(const QVector<QCPGraphData>& points, double smoothing);

private:
    void resmooth();

    CurvePlot* m_plot;
    QSlider* m_slider;
    QLabel* m_sliderLabel;
    int m_raw = 0;
    int m_smooth = 0;
    double m_smoothing = 0.9;
    // Running state of the live average, so appending stays O(new points).
    double m_average = 0.0;
    double m_weightSum = 0.0;
    QVector<QCPGraphData> m_overlayRaw;
    QString m_overlayName;
};

}  // namespace crl::widgets
