// The curves panel sorts run events onto its plots (a batch at a time), smooths the loss, raises
// the collapse alarm when the monitors approach their collapsed values, overlays an earlier
// run read from its metrics.jsonl, and exports every plot.

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "common/Error.h"
#include "widgets/curves/CollapseAlarm.h"
#include "widgets/curves/CurvePlot.h"
#include "widgets/curves/CurvesPanel.h"
#include "widgets/curves/LossCurve.h"
#include "widgets/curves/RunMetricsFile.h"

using crl::train::RunEvent;
using crl::widgets::CollapseAlarm;
using crl::widgets::CurvesPanel;
using crl::widgets::LossCurve;

namespace {

RunEvent stepEvent(std::int64_t step, double loss, std::map<std::string, double> more = {}) {
    RunEvent event;
    event.kind = RunEvent::Kind::Step;
    event.step = step;
    event.epoch = 1;
    event.totalSteps = 100;
    event.metrics = std::move(more);
    event.metrics["loss"] = loss;
    event.metrics["lr"] = 0.001 * static_cast<double>(step);
    return event;
}

RunEvent epochEvent(std::int64_t step, std::int64_t epoch, double knn) {
    RunEvent event;
    event.kind = RunEvent::Kind::Epoch;
    event.step = step;
    event.epoch = epoch;
    event.metrics = {
        {"knn_top1", knn}, {"alignment", 0.5}, {"uniformity", -3.0}, {"collapse", 0.08}};
    return event;
}

void writeText(const QString& path, const QByteArray& text) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

}  // namespace

class CurvesPanelTest : public QObject {
    Q_OBJECT

private slots:
    void sortsABatchOfEventsOntoThePlots() {
        CurvesPanel panel;
        const QVector<RunEvent> batch = {
            epochEvent(0, 0, 0.30),
            stepEvent(1, 5.0, {{"views_per_s", 900.0}}),
            stepEvent(2, 4.0, {{"alignment", 0.4}, {"uniformity", -3.5}, {"collapse", 0.08}}),
            epochEvent(2, 1, 0.55),
        };

        panel.appendEvents(batch);

        QCOMPARE(panel.lossCurve()->plot()->pointCount(0), 2);
        QCOMPARE(panel.learningRatePlot()->pointCount(0), 2);
        QCOMPARE(panel.throughputPlot()->pointCount(0), 1);
        QCOMPARE(panel.knnPlot()->pointCount(0), 2);
        QCOMPARE(panel.knnPlot()->data(0).at(1)->key, 1.0);
        // Step 0 from the first epoch event, step 2 once: its epoch event repeats it.
        QCOMPARE(panel.alignmentPlot()->pointCount(0), 2);
        QCOMPARE(panel.uniformityPlot()->data(0).at(1)->value, -3.5);

        panel.clearLive();
        for (crl::widgets::CurvePlot* plot : panel.plots())
            QCOMPARE(plot->pointCount(0), 0);
        panel.appendEvents({stepEvent(1, 5.0)});
        QCOMPARE(panel.lossCurve()->plot()->pointCount(0), 1);
    }

    void nonFiniteValuesAreLeftOut() {
        CurvesPanel panel;
        panel.appendEvents({stepEvent(1, std::nan("")), epochEvent(1, 1, std::nan(""))});
        QCOMPARE(panel.lossCurve()->plot()->pointCount(0), 0);
        QCOMPARE(panel.knnPlot()->pointCount(0), 0);
    }

    void lossIsSmoothedByADebiasedMovingAverage() {
        LossCurve curve;
        curve.setSmoothing(0.5);
        curve.append({{1, 4.0}, {2, 2.0}});
        curve.append({{3, 1.0}});

        // Debiased, by hand: a1 = 2, w1 = 0.5, s1 = 4; a2 = 2, w2 = 0.75, s2 = 8/3;
        // a3 = 1.5, w3 = 0.875, s3 = 1.5/0.875.
        const QCPGraphDataContainer& smooth = curve.plot()->data(1);
        QCOMPARE(smooth.size(), 3);
        QCOMPARE(smooth.at(0)->value, 4.0);
        QVERIFY(qFuzzyCompare(smooth.at(1)->value, 8.0 / 3.0));
        QVERIFY(qFuzzyCompare(smooth.at(2)->value, 1.5 / 0.875));

        curve.setSmoothing(0.0);
        QCOMPARE(curve.plot()->data(1).at(2)->value, 1.0);
        // Appending after a change of weight continues the recomputed curve.
        curve.setSmoothing(0.5);
        curve.append({{4, 1.0}});
        const auto expected = LossCurve::smoothed({{1, 4.0}, {2, 2.0}, {3, 1.0}, {4, 1.0}}, 0.5);
        QVERIFY(qFuzzyCompare(curve.plot()->data(1).at(3)->value, expected.at(3).value));
    }

    void collapseAlarm_data() {
        QTest::addColumn<int>("dimension");
        QTest::addColumn<bool>("spreadBefore");
        QTest::addColumn<qint64>("step");
        QTest::addColumn<double>("collapse");
        QTest::addColumn<double>("uniformity");
        QTest::addColumn<bool>("raised");

        // 0.1/√128 ≈ 0.00884; spread embeddings of d = 128 give about 0.088.
        QTest::newRow("spread") << 128 << true << qint64{50} << 0.07 << -3.2 << false;
        QTest::newRow("indicator collapsed") << 128 << true << qint64{50} << 0.004 << -2.0 << true;
        QTest::newRow("uniformity near 0") << 128 << true << qint64{50} << 0.05 << -0.05 << true;
        QTest::newRow("both collapsed") << 128 << true << qint64{50} << 0.001 << -0.001 << true;
        QTest::newRow("d unknown, indicator unjudged")
            << 0 << true << qint64{50} << 0.001 << -2.0 << false;
        QTest::newRow("d = 16, threshold 0.025")
            << 16 << true << qint64{50} << 0.02 << -2.0 << true;
        // A fresh encoder starts bunched up; that is not a fault until the warm-up has passed.
        QTest::newRow("bunched at the start")
            << 128 << false << qint64{50} << 0.002 << -0.002 << false;
        QTest::newRow("never spread after the warm-up")
            << 128 << false << qint64{CollapseAlarm::kWarmupSteps} << 0.002 << -0.002 << true;
    }

    void collapseAlarm() {
        QFETCH(int, dimension);
        QFETCH(bool, spreadBefore);
        QFETCH(qint64, step);
        QFETCH(double, collapse);
        QFETCH(double, uniformity);
        QFETCH(bool, raised);
        CollapseAlarm alarm;
        alarm.setEmbeddingDimension(dimension);
        QSignalSpy warnings(&alarm, &CollapseAlarm::raised);
        if (spreadBefore)
            alarm.observe(10, 0.08, -3.0);

        alarm.observe(step, collapse, uniformity);

        QCOMPARE(alarm.isRaised(), raised);
        QCOMPARE(warnings.size(), raised ? 1 : 0);
        QCOMPARE(!alarm.isHidden(), raised);
    }

    void collapseAlarmFallsWhenTheRunRecovers() {
        CurvesPanel panel;
        panel.setEmbeddingDimension(128);
        QSignalSpy warnings(&panel, &CurvesPanel::collapseWarning);
        panel.appendEvents({stepEvent(5, 1.0, {{"collapse", 0.07}, {"uniformity", -3.0}})});
        QVERIFY(!panel.collapseAlarm()->isRaised());

        panel.appendEvents({stepEvent(10, 1.0, {{"collapse", 0.001}, {"uniformity", -0.01}})});
        QVERIFY(panel.collapseAlarm()->isRaised());
        QCOMPARE(warnings.size(), 1);
        QVERIFY(warnings.at(0).at(0).toString().contains(QStringLiteral("step 10")));
        // Still collapsed: no second warning for the same episode.
        panel.appendEvents({stepEvent(20, 1.0, {{"collapse", 0.001}, {"uniformity", -0.01}})});
        QCOMPARE(warnings.size(), 1);

        panel.appendEvents({stepEvent(30, 1.0, {{"collapse", 0.06}, {"uniformity", -2.5}})});
        QVERIFY(!panel.collapseAlarm()->isRaised());
        panel.clearLive();
        QVERIFY(!panel.collapseAlarm()->isRaised());
    }

    void overlaysAnEarlierRunFromItsMetricsFile() {
        QTemporaryDir run;
        writeText(run.filePath("metrics.jsonl"),
                  "{\"event\":\"epoch\",\"step\":0,\"epoch\":0,\"knn_top1\":0.3,"
                  "\"alignment\":0.9,\"uniformity\":-1.0,\"collapse\":0.05}\n"
                  "{\"event\":\"step\",\"step\":1,\"epoch\":1,\"loss\":5.0,\"lr\":0.001}\n"
                  "{\"event\":\"step\",\"step\":2,\"epoch\":1,\"loss\":4.0,\"lr\":0.002,"
                  "\"alignment\":0.7,\"uniformity\":-2.0,\"collapse\":0.06,\"views_per_s\":null}\n"
                  "{\"event\":\"epoch\",\"step\":2,\"epoch\":1,\"knn_top1\":0.5,"
                  "\"alignment\":0.7,\"uniformity\":-2.0,\"collapse\":0.06}\n"
                  "{\"event\":\"checkpoint\",\"step\":2,\"epoch\":1,\"text\":\"last.pt\"}\n"
                  "{\"event\":\"step\",\"step\":3,\"ep");
        CurvesPanel panel;

        QCOMPARE(panel.loadOverlay(run.path()), QString());

        QCOMPARE(panel.lossCurve()->plot()->overlayPointCount(), 2);
        QCOMPARE(panel.knnPlot()->overlayPointCount(), 2);
        QCOMPARE(panel.alignmentPlot()->overlayPointCount(), 2);
        QCOMPARE(panel.throughputPlot()->overlayPointCount(), 0);
        // Live points do not disturb the overlay, and a new run keeps it.
        panel.appendEvents({stepEvent(1, 3.0)});
        panel.clearLive();
        QCOMPARE(panel.lossCurve()->plot()->overlayPointCount(), 2);
        panel.clearOverlay();
        QCOMPARE(panel.lossCurve()->plot()->overlayPointCount(), 0);
    }

    void aFolderWithoutMetricsIsRefusedWithItsName() {
        QTemporaryDir empty;
        CurvesPanel panel;
        const QString error = panel.loadOverlay(empty.path());
        QVERIFY2(error.contains(QStringLiteral("metrics.jsonl")), qPrintable(error));

        writeText(empty.filePath("metrics.jsonl"), "not json\n{\"event\":\"step\"}\n");
        QVERIFY_THROWS_EXCEPTION(crl::DataError,
                                 crl::widgets::readRunMetrics(empty.path().toStdString()));
    }

    void exportsEveryPlot() {
        QTemporaryDir folder;
        CurvesPanel panel;
        panel.resize(900, 500);
        panel.appendEvents({stepEvent(1, 5.0), stepEvent(2, 4.0)});

        QCOMPARE(panel.exportAll(folder.path()), QStringList());

        const QStringList files = QDir(folder.path()).entryList(QDir::Files);
        QCOMPARE(files.size(), 12);
        QVERIFY(files.contains(QStringLiteral("loss.png")));
        QVERIFY(files.contains(QStringLiteral("knn-top1.csv")));
    }
};

QTEST_MAIN(CurvesPanelTest)
#include "CurvesPanelTest.moc"
