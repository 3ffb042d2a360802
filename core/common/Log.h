#pragma once
// The small logging sink core/ writes through. core/ never prints; the application installs a
// sink (stderr for the CLI, the log dock for the GUI). Without a sink messages are dropped.

#include <functional>
#include <string>

namespace crl {

enum class LogLevel { Debug, Info, Warning, Error };

using LogSink = std::function<void(LogLevel, const std::string&)>;

/// Installs the process-wide sink; thread-safe. Passing an empty function removes it.
void setLogSink(LogSink sink);

/// Sends one message to the installed sink; thread-safe.
void log(LogLevel level, const std::string& message);

inline void logInfo(const std::string& message) {
    log(LogLevel::Info, message);
}
inline void logWarning(const std::string& message) {
    log(LogLevel::Warning, message);
}

}  // namespace crl
