#pragma once
// One training curve: a metric of the running pipeline against the optimiser step (or the
// epoch), drawn with QCustomPlot. Live series are appended in sorted batches to QCPGraph's data
// container (adaptive sampling keeps 100k points smooth); an earlier run of the same project can
// be drawn greyed behind them. The user drags and wheels to pan and zoom, double-clicks to
// follow the run again, reads values under a crosshair, and exports PNG, PDF or CSV from the
// context menu. Appending never repaints; refresh() repaints at most once per call, so the
// owner decides the repaint rate (one tick, one replot).

#include <QString>
#include <QVector>
#include <QWidget>

#include <qcustomplot.h>

namespace crl::widgets {

class CurvePlot : public QWidget {
    Q_OBJECT

public:
    CurvePlot(const QString& title, const QString& keyLabel, const QString& valueLabel,
              QWidget* parent = nullptr);

    /// Adds a live series drawn in `colour` and returns its index; the crosshair's marker
    /// follows the first series that has points. `markers` draws a dot per point (for sparse series
    /// such as per-epoch kNN).
    int addSeries(const QString& name, const QColor& colour, bool markers = false);

    /// Appends to series `index`; keys must not decrease across calls. Does not repaint.
    void append(int index, const QVector<QCPGraphData>& points);

    /// Replaces the points of series `index` (e.g. a smoothed curve recomputed from scratch).
    void replace(int index, const QVector<QCPGraphData>& points);

    /// Draws an earlier run greyed behind the live series; points need not be sorted.
    void setOverlay(const QVector<QCPGraphData>& points, const QString& runName);
    void clearOverlay();

    /// Removes the live points (a new run starts); the overlay stays.
    void clearLive();

    /// Repaints once if anything changed since the last call, rescaling the axes to the data
    /// unless the user has zoomed or dragged.
    void refresh();

    int seriesCount() const { return static_cast<int>(m_series.size()); }
    int pointCount(int index) const;
    const QCPGraphDataContainer& data(int index) const;
    int overlayPointCount() const;
    QString title() const { return m_title; }
    /// True while the axes follow the data (until the user zooms or drags).
    bool followsData() const { return m_follow; }
    QCustomPlot* plot() const { return m_plot; }

    /// Exports; false (with nothing written or a partial file removed) when the file cannot be
    /// written. Sizes of 0 use the widget's current size.
    bool savePng(const QString& path, int width = 0, int height = 0);
    bool savePdf(const QString& path, int width = 0, int height = 0);
    /// Writes every series as rows of "series,<key>,<value>", the overlay as "earlier:<run>".
    bool saveCsv(const QString& path) const;

    /// The read-out the crosshair shows for `key`: each series' value at the nearest point.
    QString readOut(double key) const;

public slots:
    /// Rescales to all data and follows the run again.
    void followData();

private:
    struct Series {
        QString name;
        QCPGraph* graph;
    };

    void showContextMenu(const QPoint& position);
    void exportWithDialog(const QString& format);
    void moveCrosshair(QMouseEvent* event);
    void hideCrosshair();
    void rescale();
    bool eventFilter(QObject* watched, QEvent* event) override;

    QString m_title;
    QString m_keyLabel;
    QString m_valueLabel;
    QCustomPlot* m_plot;
    std::vector<Series> m_series;
    QCPGraph* m_overlay = nullptr;
    QString m_overlayName;
    QCPLayer* m_crosshairLayer = nullptr;
    QCPItemTracer* m_tracer = nullptr;
    QCPItemStraightLine* m_cursorLine = nullptr;
    QCPItemText* m_readOut = nullptr;
    bool m_dirty = false;
    bool m_follow = true;
};

}  // namespace crl::widgets
