#pragma once
// The Qt adapter between the trainer's RunSink and the GUI thread. The trainer calls onEvent()
// on its worker thread; events only go into a mutex-protected buffer there. A timer on the GUI
// thread drains the buffer at most ~30 times per second and hands each batch out in one signal,
// so a fast run (thousands of steps per second) costs the GUI at most ~30 repaints per second,
// while every event still reaches the curves. Torch-free.

#include <QObject>
#include <QTimer>
#include <QVector>

#include <mutex>

#include "train/RunEvents.h"

namespace crl::app {

class RunEventCoalescer : public QObject, public train::RunSink {
    Q_OBJECT

public:
    static constexpr int kIntervalMs = 33;  ///< at most ~30 batches per second

    /// Lives on the thread of `parent` (the GUI thread); drains only while started.
    explicit RunEventCoalescer(QObject* parent = nullptr);

    /// Thread-safe; called by the trainer on the worker thread.
    void onEvent(const train::RunEvent& event) override;

    /// Starts and stops draining (a run starts or ends). stop() drains what is left first.
    void start();
    void stop();
    bool isActive() const { return m_timer.isActive(); }

    /// Emits whatever is buffered now, as one batch; nothing when empty.
    void drain();

    /// Batches emitted since construction (for tests and diagnostics).
    int batchCount() const { return m_batches; }

signals:
    void eventsReady(const QVector<crl::train::RunEvent>& events);

private:
    std::mutex m_mutex;
    QVector<train::RunEvent> m_pending;
    QTimer m_timer;
    int m_batches = 0;
};

}  // namespace crl::app
