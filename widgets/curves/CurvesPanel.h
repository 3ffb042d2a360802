#pragma once
// The live curves of a training run, one small plot per job: loss (raw and smoothed), kNN top-1
// of the representation v per epoch, alignment and uniformity of z (Wang & Isola 2020), the
// learning rate and the throughput in views per second; above them the collapse alarm. Run
// events arrive in batches (the run controller coalesces them); each batch is appended in one
// call and every plot repaints at most once per batch. An earlier run of the same project
// (a run folder's metrics.jsonl) can be drawn greyed behind the live curves.

#include <QVector>
#include <QWidget>

#include <vector>

#include "train/RunEvents.h"

class QLabel;
class QPushButton;

namespace crl::widgets {

class CollapseAlarm;
class CurvePlot;
class LossCurve;

class CurvesPanel : public QWidget {
    Q_OBJECT

public:
    explicit CurvesPanel(QWidget* parent = nullptr);

    /// Room for two rows of plots, so a dock opens at a readable height.
    QSize sizeHint() const override { return {1200, 460}; }

    /// The folder the "compare with" dialog opens in (the project's runs/ folder).
    void setRunsFolder(const QString& folder);
    /// The dimension d of the metric embedding z, for the collapse threshold 0.1/√d.
    void setEmbeddingDimension(int dimension);

    /// Draws the events of an earlier run greyed behind the live curves.
    void setOverlay(const std::vector<train::RunEvent>& events, const QString& runName);
    /// Reads `runFolder`/metrics.jsonl and overlays it; returns the error text, empty on success.
    QString loadOverlay(const QString& runFolder);
    void clearOverlay();

    LossCurve* lossCurve() const { return m_loss; }
    CurvePlot* knnPlot() const { return m_knn; }
    CurvePlot* alignmentPlot() const { return m_alignment; }
    CurvePlot* uniformityPlot() const { return m_uniformity; }
    CurvePlot* learningRatePlot() const { return m_learningRate; }
    CurvePlot* throughputPlot() const { return m_throughput; }
    CollapseAlarm* collapseAlarm() const { return m_alarm; }
    /// Every plot, the loss's included, in display order.
    QList<CurvePlot*> plots() const;

    /// Writes each plot as PNG and CSV into `folder`; returns the files that failed.
    QStringList exportAll(const QString& folder);

public slots:
    /// Appends one batch of run events and repaints each changed plot once.
    void appendEvents(const QVector<crl::train::RunEvent>& events);
    /// Clears the live curves and the alarm (a new run starts); the overlay stays.
    void clearLive();

signals:
    /// The collapse alarm went up; one sentence for the run log.
    void collapseWarning(const QString& summary);

private:
    void chooseOverlay();
    void chooseExportFolder();
    void refreshAll();

    LossCurve* m_loss;
    CurvePlot* m_knn;
    CurvePlot* m_alignment;
    CurvePlot* m_uniformity;
    CurvePlot* m_learningRate;
    CurvePlot* m_throughput;
    CollapseAlarm* m_alarm;
    QLabel* m_overlayLabel;
    QPushButton* m_clearOverlay;
    QString m_runsFolder;
    // Last key appended per monitor plot: epoch events repeat the step's measurement.
    double m_lastMonitorStep = -1.0;
    double m_lastKnnEpoch = -1.0;
};

}  // namespace crl::widgets
