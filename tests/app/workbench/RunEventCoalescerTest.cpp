// The coalescer between the trainer's thread and the GUI: a worker flooding it with events
// costs the GUI thread at most ~30 batches per second, and every event arrives, in order.

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>

#include <atomic>
#include <thread>

#include "app/workbench/RunEventCoalescer.h"

using crl::app::RunEventCoalescer;
using crl::train::RunEvent;

class RunEventCoalescerTest : public QObject {
    Q_OBJECT

private slots:
    void aFloodArrivesInFewOrderedBatches() {
        RunEventCoalescer coalescer;
        std::int64_t received = 0;
        bool ordered = true;
        int batches = 0;
        connect(&coalescer, &RunEventCoalescer::eventsReady, this,
                [&](const QVector<RunEvent>& batch) {
                    ++batches;
                    for (const RunEvent& event : batch) {
                        ordered = ordered && event.step == received + 1;
                        ++received;
                    }
                });

        // A worker far faster than any trainer: 1.5 s of back-to-back step events.
        std::atomic<bool> done{false};
        std::int64_t sent = 0;
        coalescer.start();
        QElapsedTimer clock;
        clock.start();
        std::thread worker([&] {
            const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
            while (std::chrono::steady_clock::now() < end) {
                RunEvent event;
                event.step = ++sent;
                event.metrics["loss"] = 1.0 / static_cast<double>(sent);
                coalescer.onEvent(event);
            }
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), 10000);
        worker.join();
        coalescer.stop();
        const double seconds = clock.elapsed() / 1000.0;

        qInfo() << sent << "events in" << batches << "batches over" << seconds << "s";
        QVERIFY(sent > 1000);
        QCOMPARE(received, sent);
        QVERIFY(ordered);
        // ~30 per second, plus the final drain and timer slack.
        QVERIFY2(batches <= 31.0 * seconds + 2,
                 qPrintable(QStringLiteral("%1 batches in %2 s").arg(batches).arg(seconds)));
        QCOMPARE(coalescer.batchCount(), batches);
    }

    void stopDrainsWhatIsLeftAndIdlesTheTimer() {
        RunEventCoalescer coalescer;
        QSignalSpy spy(&coalescer, &RunEventCoalescer::eventsReady);
        coalescer.start();
        QVERIFY(coalescer.isActive());
        RunEvent event;
        event.kind = RunEvent::Kind::Finished;
        coalescer.onEvent(event);

        coalescer.stop();

        QVERIFY(!coalescer.isActive());
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.at(0).at(0).value<QVector<RunEvent>>().size(), 1);
        coalescer.drain();
        QCOMPARE(spy.size(), 1);
    }
};

QTEST_GUILESS_MAIN(RunEventCoalescerTest)
#include "RunEventCoalescerTest.moc"
