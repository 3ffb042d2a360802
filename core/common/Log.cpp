#include "common/Log.h"

#include <mutex>

namespace crl {
namespace {

std::mutex& sinkMutex() {
    static std::mutex mutex;
    return mutex;
}

LogSink& installedSink() {
    static LogSink sink;
    return sink;
}

}  // namespace

void setLogSink(LogSink sink) {
    std::lock_guard lock(sinkMutex());
    installedSink() = std::move(sink);
}

void log(LogLevel level, const std::string& message) {
    std::lock_guard lock(sinkMutex());
    if (installedSink()) {
        installedSink()(level, message);
    }
}

}  // namespace crl
