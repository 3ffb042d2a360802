#include "app/workbench/RunEventCoalescer.h"

#include <utility>

namespace crl::app {

RunEventCoalescer::RunEventCoalescer(QObject* parent) : QObject(parent) {
    m_timer.setInterval(kIntervalMs);
    m_timer.setTimerType(Qt::CoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, &RunEventCoalescer::drain);
}

void RunEventCoalescer::onEvent(const train::RunEvent& event) {
    std::lock_guard lock(m_mutex);
    m_pending.append(event);
}

void RunEventCoalescer::start() {
    m_timer.start();
}

void RunEventCoalescer::stop() {
    m_timer.stop();
    drain();
}

void RunEventCoalescer::drain() {
    QVector<train::RunEvent> batch;
    {
        std::lock_guard lock(m_mutex);
        batch = std::exchange(m_pending, {});
    }
    if (batch.isEmpty())
        return;

    ++m_batches;
    emit eventsReady(batch);
}

}  // namespace crl::app
