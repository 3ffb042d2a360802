#pragma once
// Short constructors for catalogue parameter specs, so an entry reads as a table.

#include <string>
#include <vector>

#include "graph/NodeCatalogue.h"

namespace crl::graph::nodes {

inline ParamSpec realParam(std::string name, double value, double minimum, double maximum,
                           std::string unit, std::string help) {
    return {std::move(name), ParamKind::Real, value, minimum,
            maximum,         std::move(unit), {},    std::move(help)};
}

inline ParamSpec intParam(std::string name, std::int64_t value, double minimum, double maximum,
                          std::string unit, std::string help) {
    return {std::move(name), ParamKind::Int,  value, minimum,
            maximum,         std::move(unit), {},    std::move(help)};
}

inline ParamSpec boolParam(std::string name, bool value, std::string help) {
    return {std::move(name), ParamKind::Bool, value, 0, 1, "", {}, std::move(help)};
}

inline ParamSpec choiceParam(std::string name, std::string value, std::vector<std::string> choices,
                             std::string help) {
    return {std::move(name),    ParamKind::Choice, std::move(value), 0, 0, "",
            std::move(choices), std::move(help)};
}

inline ParamSpec pathParam(std::string name, std::string value, std::string help) {
    return {std::move(name), ParamKind::Path, std::move(value), 0, 0, "", {}, std::move(help)};
}

}  // namespace crl::graph::nodes
