#include "widgets/curves/CurvesPanel.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>
#include <exception>
#include <optional>

#include "widgets/curves/CollapseAlarm.h"
#include "widgets/curves/CurvePlot.h"
#include "widgets/curves/CurvesLog.h"
#include "widgets/curves/LossCurve.h"
#include "widgets/curves/RunMetricsFile.h"

namespace crl::widgets {

Q_LOGGING_CATEGORY(lcCurves, "crl.widgets.curves")

namespace {

/// The points one batch of events adds to each plot.
struct CurvePoints {
    QVector<QCPGraphData> loss;
    QVector<QCPGraphData> knn;
    QVector<QCPGraphData> alignment;
    QVector<QCPGraphData> uniformity;
    QVector<QCPGraphData> learningRate;
    QVector<QCPGraphData> throughput;
};

std::optional<double> metricValue(const train::RunEvent& event, const char* name) {
    const auto it = event.metrics.find(name);
    if (it == event.metrics.end() || !std::isfinite(it->second))
        return std::nullopt;
    return it->second;
}

void add(QVector<QCPGraphData>& points, double key, std::optional<double> value) {
    if (value)
        points.append({key, *value});
}

}  // namespace

CurvesPanel::CurvesPanel(QWidget* parent)
    : QWidget(parent),
      m_loss(new LossCurve),
      m_knn(new CurvePlot(tr("kNN top-1 (v, test split)"), tr("epoch"), tr("accuracy"))),
      m_alignment(new CurvePlot(tr("Alignment (lower is better)"), tr("step"), tr("alignment"))),
      m_uniformity(new CurvePlot(tr("Uniformity (lower is better)"), tr("step"), tr("uniformity"))),
      m_learningRate(new CurvePlot(tr("Learning rate"), tr("step"), tr("lr"))),
      m_throughput(new CurvePlot(tr("Throughput"), tr("step"), tr("views/s"))),
      m_alarm(new CollapseAlarm),
      m_overlayLabel(new QLabel),
      m_clearOverlay(new QPushButton(tr("Clear Comparison"))) {
    m_loss->plot()->setObjectName(QStringLiteral("loss"));
    m_knn->setObjectName(QStringLiteral("knn-top1"));
    m_alignment->setObjectName(QStringLiteral("alignment"));
    m_uniformity->setObjectName(QStringLiteral("uniformity"));
    m_learningRate->setObjectName(QStringLiteral("learning-rate"));
    m_throughput->setObjectName(QStringLiteral("views-per-second"));
    m_knn->addSeries(tr("kNN top-1"), QColor(44, 160, 44), /*markers=*/true);
    m_alignment->addSeries(tr("alignment"), QColor(214, 39, 40));
    m_uniformity->addSeries(tr("uniformity"), QColor(148, 103, 189));
    m_learningRate->addSeries(tr("lr"), QColor(255, 127, 14));
    m_throughput->addSeries(tr("views/s"), QColor(23, 190, 207));

    auto* compare = new QPushButton(tr("Compare with Run…"));
    compare->setToolTip(tr("Draw an earlier run of this project greyed behind the live curves"));
    auto* exportAllButton = new QPushButton(tr("Export All…"));
    exportAllButton->setToolTip(tr("Write every plot as PNG and CSV into a folder"));
    m_clearOverlay->setEnabled(false);
    m_overlayLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* bar = new QHBoxLayout;
    bar->addWidget(compare);
    bar->addWidget(m_clearOverlay);
    bar->addWidget(m_overlayLabel, 1);
    bar->addWidget(exportAllButton);

    auto* grid = new QGridLayout;
    grid->setSpacing(4);
    grid->addWidget(m_loss, 0, 0);
    grid->addWidget(m_knn, 0, 1);
    grid->addWidget(m_alignment, 0, 2);
    grid->addWidget(m_uniformity, 1, 0);
    grid->addWidget(m_learningRate, 1, 1);
    grid->addWidget(m_throughput, 1, 2);
    for (int i = 0; i < 3; ++i)
        grid->setColumnStretch(i, 1);
    for (int i = 0; i < 2; ++i)
        grid->setRowStretch(i, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_alarm);
    layout->addLayout(bar);
    layout->addLayout(grid, 1);

    connect(compare, &QPushButton::clicked, this, &CurvesPanel::chooseOverlay);
    connect(m_clearOverlay, &QPushButton::clicked, this, &CurvesPanel::clearOverlay);
    connect(exportAllButton, &QPushButton::clicked, this, &CurvesPanel::chooseExportFolder);
    connect(m_alarm, &CollapseAlarm::raised, this, &CurvesPanel::collapseWarning);
}

QList<CurvePlot*> CurvesPanel::plots() const {
    return {m_loss->plot(), m_knn, m_alignment, m_uniformity, m_learningRate, m_throughput};
}

void CurvesPanel::setRunsFolder(const QString& folder) {
    m_runsFolder = folder;
}

void CurvesPanel::setEmbeddingDimension(int dimension) {
    m_alarm->setEmbeddingDimension(dimension);
}

void CurvesPanel::appendEvents(const QVector<crl::train::RunEvent>& events) {
    using Kind = train::RunEvent::Kind;
    CurvePoints points;
    for (const train::RunEvent& event : events) {
        const double step = static_cast<double>(event.step);
        if (event.kind == Kind::Step) {
            add(points.loss, step, metricValue(event, "loss"));
            add(points.learningRate, step, metricValue(event, "lr"));
            add(points.throughput, step, metricValue(event, "views_per_s"));
        }
        if (event.kind == Kind::Epoch && static_cast<double>(event.epoch) > m_lastKnnEpoch) {
            if (const auto knn = metricValue(event, "knn_top1")) {
                points.knn.append({static_cast<double>(event.epoch), *knn});
                m_lastKnnEpoch = static_cast<double>(event.epoch);
            }
        }

        // Monitors ride on step and epoch events; an epoch event repeats its last step's.
        if (event.kind != Kind::Step && event.kind != Kind::Epoch && event.kind != Kind::Monitor)
            continue;
        const auto alignment = metricValue(event, "alignment");
        const auto uniformity = metricValue(event, "uniformity");
        const auto collapse = metricValue(event, "collapse");
        if ((!alignment && !uniformity) || step <= m_lastMonitorStep)
            continue;
        m_lastMonitorStep = step;
        add(points.alignment, step, alignment);
        add(points.uniformity, step, uniformity);
        m_alarm->observe(event.step, collapse, uniformity);
    }

    m_loss->append(points.loss);
    m_knn->append(0, points.knn);
    m_alignment->append(0, points.alignment);
    m_uniformity->append(0, points.uniformity);
    m_learningRate->append(0, points.learningRate);
    m_throughput->append(0, points.throughput);
    refreshAll();
}

void CurvesPanel::clearLive() {
    m_loss->clearLive();
    for (CurvePlot* plot : plots())
        if (plot != m_loss->plot())
            plot->clearLive();
    m_alarm->reset();
    m_lastMonitorStep = -1.0;
    m_lastKnnEpoch = -1.0;
    refreshAll();
}

void CurvesPanel::refreshAll() {
    m_loss->refresh();
    for (CurvePlot* plot : plots())
        if (plot != m_loss->plot())
            plot->refresh();
}

void CurvesPanel::setOverlay(const std::vector<train::RunEvent>& events, const QString& runName) {
    using Kind = train::RunEvent::Kind;
    CurvePoints points;
    double lastMonitor = -1.0;
    for (const train::RunEvent& event : events) {
        const double step = static_cast<double>(event.step);
        if (event.kind == Kind::Step) {
            add(points.loss, step, metricValue(event, "loss"));
            add(points.learningRate, step, metricValue(event, "lr"));
            add(points.throughput, step, metricValue(event, "views_per_s"));
        }
        if (event.kind == Kind::Epoch)
            add(points.knn, static_cast<double>(event.epoch), metricValue(event, "knn_top1"));
        if ((event.kind == Kind::Step || event.kind == Kind::Epoch) && step > lastMonitor &&
            metricValue(event, "alignment")) {
            lastMonitor = step;
            add(points.alignment, step, metricValue(event, "alignment"));
            add(points.uniformity, step, metricValue(event, "uniformity"));
        }
    }

    m_loss->setOverlay(points.loss, runName);
    m_knn->setOverlay(points.knn, runName);
    m_alignment->setOverlay(points.alignment, runName);
    m_uniformity->setOverlay(points.uniformity, runName);
    m_learningRate->setOverlay(points.learningRate, runName);
    m_throughput->setOverlay(points.throughput, runName);
    m_overlayLabel->setText(tr("Grey: %1").arg(runName));
    m_clearOverlay->setEnabled(true);
    refreshAll();
}

QString CurvesPanel::loadOverlay(const QString& runFolder) {
    std::vector<train::RunEvent> events;
    try {
        events = readRunMetrics(std::filesystem::path(runFolder.toStdString()));
    } catch (const std::exception& error) {
        qCWarning(lcCurves) << "cannot overlay" << runFolder << ":" << error.what();
        return QString::fromUtf8(error.what());
    }
    setOverlay(events, QFileInfo(runFolder).fileName());
    return {};
}

void CurvesPanel::clearOverlay() {
    m_loss->clearOverlay();
    for (CurvePlot* plot : plots())
        if (plot != m_loss->plot())
            plot->clearOverlay();
    m_overlayLabel->clear();
    m_clearOverlay->setEnabled(false);
    refreshAll();
}

void CurvesPanel::chooseOverlay() {
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Compare with an Earlier Run"),
                                          QDir(m_runsFolder).exists() ? m_runsFolder : QString());
    if (folder.isEmpty())
        return;

    const QString error = loadOverlay(folder);
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Cannot compare"), error);
}

QStringList CurvesPanel::exportAll(const QString& folder) {
    QStringList failed;
    for (CurvePlot* plot : plots()) {
        const QString stem = QDir(folder).filePath(plot->objectName());
        if (!plot->savePng(stem + QStringLiteral(".png")))
            failed << stem + QStringLiteral(".png");
        if (!plot->saveCsv(stem + QStringLiteral(".csv")))
            failed << stem + QStringLiteral(".csv");
    }
    return failed;
}

void CurvesPanel::chooseExportFolder() {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Export All Curves To"));
    if (folder.isEmpty())
        return;

    const QStringList failed = exportAll(folder);
    if (!failed.isEmpty())
        QMessageBox::warning(this, tr("Export failed"),
                             tr("These files could not be written:\n%1").arg(failed.join('\n')));
}

}  // namespace crl::widgets
