// One curve: 100k points appended in sorted batches stay cheap to append and to repaint, the
// axes follow the data until the user zooms, the crosshair reads the nearest points, an
// earlier run is drawn behind, and PNG, PDF and CSV exports are written.

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "widgets/curves/CurvePlot.h"

using crl::widgets::CurvePlot;

namespace {

QVector<QCPGraphData> ramp(int from, int count, double slope) {
    QVector<QCPGraphData> points;
    points.reserve(count);
    for (int i = from; i < from + count; ++i)
        points.append({static_cast<double>(i), slope * i});
    return points;
}

}  // namespace

class CurvePlotTest : public QObject {
    Q_OBJECT

private slots:
    void appendsHundredThousandPointsInTicks() {
        CurvePlot plot(QStringLiteral("Loss"), QStringLiteral("step"), QStringLiteral("loss"));
        plot.addSeries(QStringLiteral("loss"), Qt::blue);
        plot.resize(600, 300);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QSignalSpy replots(plot.plot(), &QCustomPlot::afterReplot);

        // 100 ticks of 1000 steps each, one refresh per tick, like a very fast run.
        QElapsedTimer clock;
        clock.start();
        qint64 slowestTickMs = 0;
        for (int tick = 0; tick < 100; ++tick) {
            QElapsedTimer tickClock;
            tickClock.start();
            plot.append(0, ramp(tick * 1000, 1000, 0.001));
            plot.refresh();
            plot.plot()->replot(QCustomPlot::rpImmediateRefresh);
            slowestTickMs = std::max(slowestTickMs, tickClock.elapsed());
        }
        qInfo() << "100k points in 100 ticks:" << clock.elapsed() << "ms, slowest tick"
                << slowestTickMs << "ms";

        QCOMPARE(plot.pointCount(0), 100000);
        QCOMPARE(plot.plot()->xAxis->range().upper, 99999.0);
        QVERIFY(plot.plot()->yAxis->range().contains(99.999));
        QVERIFY(replots.size() >= 100);
        // Smooth, not a latency figure: a tick at 100k points stays well inside a frame budget
        // several times over.
        QVERIFY2(slowestTickMs < 500, qPrintable(QString::number(slowestTickMs)));
    }

    void refreshRepaintsOnlyAfterChanges() {
        CurvePlot plot(QStringLiteral("lr"), QStringLiteral("step"), QStringLiteral("lr"));
        plot.addSeries(QStringLiteral("lr"), Qt::red);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QTest::qWait(50);
        QSignalSpy replots(plot.plot(), &QCustomPlot::afterReplot);

        plot.refresh();
        QTest::qWait(50);
        QCOMPARE(replots.size(), 0);

        plot.append(0, ramp(0, 10, 1.0));
        plot.append(0, ramp(10, 10, 1.0));
        plot.refresh();
        QTRY_COMPARE(replots.size(), 1);
    }

    void zoomingStopsFollowingUntilDoubleClick() {
        CurvePlot plot(QStringLiteral("Loss"), QStringLiteral("step"), QStringLiteral("loss"));
        plot.addSeries(QStringLiteral("loss"), Qt::blue);
        plot.resize(400, 300);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.append(0, ramp(0, 100, 1.0));
        plot.refresh();
        QVERIFY(plot.plot()->interactions().testFlag(QCP::iRangeZoom));
        QVERIFY(plot.plot()->interactions().testFlag(QCP::iRangeDrag));

        const QPoint centre = plot.plot()->axisRect()->rect().center();
        QWheelEvent wheel(centre, plot.plot()->mapToGlobal(centre), QPoint(), QPoint(0, 120),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(plot.plot(), &wheel);
        QVERIFY(!plot.followsData());
        const QCPRange zoomed = plot.plot()->xAxis->range();
        QVERIFY(zoomed.size() < 99.0);
        plot.append(0, ramp(100, 100, 1.0));
        plot.refresh();
        QCOMPARE(plot.plot()->xAxis->range(), zoomed);

        plot.followData();
        QVERIFY(plot.followsData());
        QCOMPARE(plot.plot()->xAxis->range().upper, 199.0);
    }

    void crosshairReadsTheNearestPointOfEachSeries() {
        CurvePlot plot(QStringLiteral("Loss"), QStringLiteral("step"), QStringLiteral("loss"));
        plot.addSeries(QStringLiteral("loss"), Qt::blue);
        plot.addSeries(QStringLiteral("smoothed"), Qt::darkBlue);
        plot.append(0, {{10, 2.0}, {20, 1.5}, {30, 1.25}});
        plot.append(1, {{10, 2.0}, {20, 1.75}, {30, 1.5}});
        plot.setOverlay({{30, 3.0}, {10, 4.0}}, QStringLiteral("20240101-120000"));

        const QString text = plot.readOut(24.0);

        QVERIFY2(text.contains(QStringLiteral("step 20")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("loss 1.5")));
        QVERIFY(text.contains(QStringLiteral("smoothed 1.75")));
        QVERIFY(text.contains(QStringLiteral("earlier: 20240101-120000 3")));
        QCOMPARE(plot.overlayPointCount(), 2);
        QVERIFY(CurvePlot(QString(), QString(), QString()).readOut(1.0).isEmpty());
    }

    void exportsPngPdfAndCsv() {
        QTemporaryDir folder;
        CurvePlot plot(QStringLiteral("Alignment"), QStringLiteral("step"),
                       QStringLiteral("alignment"));
        plot.addSeries(QStringLiteral("alignment"), Qt::red);
        plot.append(0, {{2, 0.5}, {4, 0.25}});
        plot.setOverlay({{2, 0.75}}, QStringLiteral("earlier"));
        plot.resize(400, 300);

        QVERIFY(plot.savePng(folder.filePath("a.png"), 400, 300));
        QVERIFY(plot.savePdf(folder.filePath("a.pdf"), 400, 300));
        QVERIFY(plot.saveCsv(folder.filePath("a.csv")));

        QVERIFY(QImage(folder.filePath("a.png")).width() == 400);
        QFile pdf(folder.filePath("a.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-");
        QFile csv(folder.filePath("a.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly | QIODevice::Text));
        QCOMPARE(QString::fromUtf8(csv.readAll()),
                 QStringLiteral("series,step,alignment\nalignment,2,0.5\nalignment,4,0.25\n"
                                "earlier:earlier,2,0.75\n"));
        QVERIFY(!plot.saveCsv(folder.filePath("no-such-folder/a.csv")));
    }

    void clearLiveKeepsTheOverlay() {
        CurvePlot plot(QStringLiteral("kNN"), QStringLiteral("epoch"), QStringLiteral("acc"));
        plot.addSeries(QStringLiteral("kNN"), Qt::green, true);
        plot.append(0, {{0, 0.3}, {1, 0.6}});
        plot.setOverlay({{0, 0.3}}, QStringLiteral("old"));

        plot.clearLive();

        QCOMPARE(plot.pointCount(0), 0);
        QCOMPARE(plot.overlayPointCount(), 1);
        plot.clearOverlay();
        QCOMPARE(plot.overlayPointCount(), 0);
    }
};

QTEST_MAIN(CurvePlotTest)
#include "CurvePlotTest.moc"
