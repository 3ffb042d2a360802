#include "widgets/curves/CurvePlot.h"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QMouseEvent>
#include <QSaveFile>
#include <QTextStream>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "widgets/curves/CurvesLog.h"

namespace crl::widgets {

namespace {

const QColor kOverlayColour(150, 150, 150, 170);

/// The point of `data` whose key is nearest to `key`; end() when empty.
QCPGraphDataContainer::const_iterator nearest(const QCPGraphDataContainer& data, double key) {
    if (data.isEmpty())
        return data.constEnd();
    auto it = data.findBegin(key, false);
    if (it == data.constEnd())
        return it - 1;
    if (it != data.constBegin() && key - (it - 1)->key < it->key - key)
        return it - 1;
    return it;
}

QCPRange widened(QCPRange range, double fraction) {
    if (range.size() <= 0.0) {
        const double pad = range.lower == 0.0 ? 1.0 : std::abs(range.lower) * 0.1;
        return {range.lower - pad, range.upper + pad};
    }
    const double pad = range.size() * fraction;
    return {range.lower - pad, range.upper + pad};
}

}  // namespace

CurvePlot::CurvePlot(const QString& title, const QString& keyLabel, const QString& valueLabel,
                     QWidget* parent)
    : QWidget(parent),
      m_title(title),
      m_keyLabel(keyLabel),
      m_valueLabel(valueLabel),
      m_plot(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    setMinimumSize(220, 150);

    QFont titleFont = font();
    titleFont.setBold(true);
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, new QCPTextElement(m_plot, title, titleFont));
    m_plot->xAxis->setLabel(keyLabel);
    m_plot->yAxis->setLabel(valueLabel);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setToolTip(
        tr("Drag to pan, wheel to zoom, double-click to follow the run again; "
           "right-click to export."));

    // The earlier run is drawn above the grid and below every live series.
    m_plot->addLayer(QStringLiteral("earlier"), m_plot->layer(QStringLiteral("main")),
                     QCustomPlot::limBelow);

    // The crosshair lives on its own buffered layer, so hovering repaints only that layer.
    m_plot->addLayer(QStringLiteral("crosshair"), m_plot->layer(QStringLiteral("main")),
                     QCustomPlot::limAbove);
    m_crosshairLayer = m_plot->layer(QStringLiteral("crosshair"));
    m_crosshairLayer->setMode(QCPLayer::lmBuffered);
    m_cursorLine = new QCPItemStraightLine(m_plot);
    m_cursorLine->setLayer(m_crosshairLayer);
    m_cursorLine->setPen(QPen(QColor(90, 90, 90), 1, Qt::DashLine));
    m_tracer = new QCPItemTracer(m_plot);
    m_tracer->setLayer(m_crosshairLayer);
    m_tracer->setStyle(QCPItemTracer::tsCircle);
    m_tracer->setSize(7);
    m_tracer->setPen(QPen(Qt::black));
    m_readOut = new QCPItemText(m_plot);
    m_readOut->setLayer(m_crosshairLayer);
    m_readOut->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_readOut->position->setCoords(0.99, 0.02);
    m_readOut->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
    m_readOut->setTextAlignment(Qt::AlignRight);
    m_readOut->setBrush(QColor(255, 255, 255, 220));
    m_readOut->setPadding(QMargins(4, 2, 4, 2));
    hideCrosshair();

    connect(m_plot, &QCustomPlot::mouseMove, this, &CurvePlot::moveCrosshair);
    // Any zoom or drag hands the axes to the user until a double-click.
    connect(m_plot, &QCustomPlot::mousePress, this, [this] { m_follow = false; });
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this] { m_follow = false; });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, &CurvePlot::followData);
    m_plot->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_plot, &QWidget::customContextMenuRequested, this, &CurvePlot::showContextMenu);
    m_plot->installEventFilter(this);
}

int CurvePlot::addSeries(const QString& name, const QColor& colour, bool markers) {
    QCPGraph* graph = m_plot->addGraph();
    graph->setName(name);
    graph->setPen(QPen(colour, markers ? 1.5 : 1.2));
    if (markers)
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
    m_series.push_back({name, graph});
    return static_cast<int>(m_series.size()) - 1;
}

void CurvePlot::append(int index, const QVector<QCPGraphData>& points) {
    Q_ASSERT(index >= 0 && index < seriesCount());
    if (points.isEmpty())
        return;
    m_series[index].graph->data()->add(points, /*alreadySorted=*/true);
    m_dirty = true;
}

void CurvePlot::replace(int index, const QVector<QCPGraphData>& points) {
    Q_ASSERT(index >= 0 && index < seriesCount());
    m_series[index].graph->data()->set(points, /*alreadySorted=*/true);
    m_dirty = true;
}

void CurvePlot::setOverlay(const QVector<QCPGraphData>& points, const QString& runName) {
    if (m_overlay == nullptr) {
        m_overlay = m_plot->addGraph();
        m_overlay->setPen(QPen(kOverlayColour, 1.2));
        m_overlay->setLayer(QStringLiteral("earlier"));
    }
    m_overlay->setName(tr("earlier: %1").arg(runName));
    m_overlay->data()->set(points, /*alreadySorted=*/false);
    m_overlay->setScatterStyle(m_series.empty() ? QCPScatterStyle()
                                                : m_series.front().graph->scatterStyle());
    m_overlayName = runName;
    m_dirty = true;
}

void CurvePlot::clearOverlay() {
    if (m_overlay == nullptr)
        return;
    if (m_tracer->graph() == m_overlay)
        m_tracer->setGraph(nullptr);
    m_plot->removeGraph(m_overlay);
    m_overlay = nullptr;
    m_overlayName.clear();
    m_dirty = true;
}

void CurvePlot::clearLive() {
    for (const Series& series : m_series)
        series.graph->data()->clear();
    m_follow = true;
    m_dirty = true;
}

void CurvePlot::refresh() {
    if (!m_dirty)
        return;
    m_dirty = false;

    if (m_follow)
        rescale();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void CurvePlot::followData() {
    m_follow = true;
    rescale();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void CurvePlot::rescale() {
    // Keys come sorted, so the key range is the first and last point; the value range scans,
    // which at 100k points costs well under a millisecond.
    bool found = false;
    QCPRange keys;
    QCPRange values;
    auto include = [&](const QCPGraph* graph) {
        bool keyFound = false;
        bool valueFound = false;
        const QCPRange k = graph->data()->keyRange(keyFound);
        const QCPRange v = graph->data()->valueRange(valueFound);
        if (!keyFound || !valueFound)
            return;
        keys = found ? QCPRange(std::min(keys.lower, k.lower), std::max(keys.upper, k.upper)) : k;
        values =
            found ? QCPRange(std::min(values.lower, v.lower), std::max(values.upper, v.upper)) : v;
        found = true;
    };
    for (const Series& series : m_series)
        include(series.graph);
    if (m_overlay != nullptr)
        include(m_overlay);
    if (!found)
        return;

    m_plot->xAxis->setRange(keys.size() > 0 ? keys : widened(keys, 0.0));
    m_plot->yAxis->setRange(widened(values, 0.05));
}

int CurvePlot::pointCount(int index) const {
    Q_ASSERT(index >= 0 && index < seriesCount());
    return m_series[index].graph->data()->size();
}

const QCPGraphDataContainer& CurvePlot::data(int index) const {
    Q_ASSERT(index >= 0 && index < seriesCount());
    return *m_series[index].graph->data();
}

int CurvePlot::overlayPointCount() const {
    return m_overlay == nullptr ? 0 : m_overlay->data()->size();
}

QString CurvePlot::readOut(double key) const {
    QStringList lines;
    double shownKey = key;
    bool keyShown = false;
    auto describe = [&](const QString& name, const QCPGraph* graph) {
        const QCPGraphDataContainer& data = *graph->data();
        const auto it = nearest(data, key);
        if (it == data.constEnd())
            return;
        if (!keyShown) {
            shownKey = it->key;
            keyShown = true;
        }
        lines.append(QStringLiteral("%1 %2").arg(name, QString::number(it->value, 'g', 5)));
    };
    for (const Series& series : m_series)
        describe(series.name, series.graph);
    if (m_overlay != nullptr)
        describe(m_overlay->name(), m_overlay);
    if (lines.isEmpty())
        return {};
    lines.prepend(QStringLiteral("%1 %2").arg(m_keyLabel, QString::number(shownKey, 'g', 7)));
    return lines.join(QLatin1Char('\n'));
}

void CurvePlot::moveCrosshair(QMouseEvent* event) {
    const double key = m_plot->xAxis->pixelToCoord(event->position().x());
    const QString text = readOut(key);
    if (text.isEmpty()) {
        hideCrosshair();
        return;
    }

    QCPGraph* traced = nullptr;
    for (const Series& series : m_series)
        if (!series.graph->data()->isEmpty()) {
            traced = series.graph;
            break;
        }
    if (traced == nullptr)
        traced = m_overlay;
    m_tracer->setGraph(traced);
    m_tracer->setGraphKey(key);
    m_tracer->updatePosition();
    const double snapped = m_tracer->position->key();
    m_cursorLine->point1->setCoords(snapped, 0.0);
    m_cursorLine->point2->setCoords(snapped, 1.0);
    m_readOut->setText(text);
    m_tracer->setVisible(true);
    m_cursorLine->setVisible(true);
    m_readOut->setVisible(true);
    m_crosshairLayer->replot();
}

void CurvePlot::hideCrosshair() {
    // Detached, so that replots of an empty curve do not ask the tracer for a position.
    m_tracer->setGraph(nullptr);
    m_tracer->setVisible(false);
    m_cursorLine->setVisible(false);
    m_readOut->setVisible(false);
    if (m_plot->isVisible())
        m_crosshairLayer->replot();
}

bool CurvePlot::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_plot && event->type() == QEvent::Leave)
        hideCrosshair();
    return QWidget::eventFilter(watched, event);
}

void CurvePlot::showContextMenu(const QPoint& position) {
    QMenu menu(this);
    menu.addAction(tr("Follow the Run (Reset Zoom)"), this, &CurvePlot::followData);
    menu.addSeparator();
    menu.addAction(tr("Export PNG…"), this, [this] { exportWithDialog(QStringLiteral("png")); });
    menu.addAction(tr("Export PDF…"), this, [this] { exportWithDialog(QStringLiteral("pdf")); });
    menu.addAction(tr("Export CSV…"), this, [this] { exportWithDialog(QStringLiteral("csv")); });
    menu.exec(m_plot->mapToGlobal(position));
}

void CurvePlot::exportWithDialog(const QString& format) {
    const QString suggested =
        m_title.toLower().replace(QLatin1Char(' '), QLatin1Char('-')) + QLatin1Char('.') + format;
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export %1").arg(m_title), suggested,
                                     tr("%1 files (*.%2)").arg(format.toUpper(), format));
    if (path.isEmpty())
        return;

    const bool written = format == QLatin1String("png")   ? savePng(path)
                         : format == QLatin1String("pdf") ? savePdf(path)
                                                          : saveCsv(path);
    if (!written) {
        qCWarning(lcCurves) << "cannot export" << m_title << "to" << path;
        QMessageBox::warning(this, tr("Export failed"),
                             tr("%1 could not be written; choose a folder you can write to.")
                                 .arg(QDir::toNativeSeparators(path)));
    }
}

bool CurvePlot::savePng(const QString& path, int width, int height) {
    hideCrosshair();
    return m_plot->savePng(path, width, height);
}

bool CurvePlot::savePdf(const QString& path, int width, int height) {
    hideCrosshair();
    return m_plot->savePdf(path, width, height);
}

bool CurvePlot::saveCsv(const QString& path) const {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
        return false;

    QTextStream out(&file);
    auto key = m_keyLabel;
    auto value = m_valueLabel;
    out << "series," << key.replace(QLatin1Char(','), QLatin1Char(' ')) << ','
        << value.replace(QLatin1Char(','), QLatin1Char(' ')) << '\n';
    auto write = [&out](QString name, const QCPGraph* graph) {
        name.replace(QLatin1Char(','), QLatin1Char(' '));
        for (const QCPGraphData& point : *graph->data())
            out << name << ',' << QString::number(point.key, 'g', 12) << ','
                << QString::number(point.value, 'g', 10) << '\n';
    };
    for (const Series& series : m_series)
        write(series.name, series.graph);
    if (m_overlay != nullptr)
        write(QStringLiteral("earlier:") + m_overlayName, m_overlay);
    out.flush();
    return file.commit();
}

}  // namespace crl::widgets
