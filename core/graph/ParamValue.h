#pragma once
// The value of one node parameter. Parameters are typed by the catalogue (ParamSpec); a
// ParamValue only carries the value as read from a project file or an editor.

#include <cstdint>
#include <string>
#include <variant>

namespace crl::graph {

using ParamValue = std::variant<bool, std::int64_t, double, std::string>;

/// Human-readable rendering used in messages and the inspector ("0.5", "true", "\"sgd\"").
std::string toString(const ParamValue& value);

}  // namespace crl::graph
