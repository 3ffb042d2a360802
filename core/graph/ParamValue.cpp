// Rendering of parameter values for messages and the inspector.

#include "graph/ParamValue.h"

#include <charconv>
#include <cmath>
#include <string>
#include <type_traits>

namespace crl::graph {

namespace {

/// Shortest text that reads back as the same double; "1.0" rather than "1" so a real never
/// looks like an integer in a message that is about the parameter's type.
std::string realToString(double value) {
    char buffer[32];
    const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
    std::string text(buffer, error == std::errc{} ? end : buffer);
    if (std::isfinite(value) && text.find_first_of(".e") == std::string::npos)
        text += ".0";
    return text;
}

}  // namespace

std::string toString(const ParamValue& value) {
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, bool>)
                return v ? "true" : "false";
            else if constexpr (std::is_same_v<T, std::int64_t>)
                return std::to_string(v);
            else if constexpr (std::is_same_v<T, double>)
                return realToString(v);
            else
                return "\"" + v + "\"";
        },
        value);
}

}  // namespace crl::graph
