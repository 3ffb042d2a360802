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

/// `key_update` and `momentum`, the survey's choice of how the key encoder is updated (§III-C2),
/// for encoder and head nodes; built by pairedStage().
inline std::vector<ParamSpec> keyUpdateParams() {
    return {choiceParam("key_update", "shared", {"shared", "momentum"},
                        "how the key side is computed: shared = the same module trained end to "
                        "end on both views; momentum = an exponential moving average of this "
                        "module, without gradients, updated after every optimiser step (MoCo, "
                        "BYOL). Set it on the encoder and on the head after it alike"),
            realParam("momentum", 0.99, 0.0, 0.9999, "",
                      "base momentum tau0 of the moving average (used with key_update = "
                      "momentum); tau rises from tau0 to 1 over the run on a cosine schedule, "
                      "tau(k) = 1 - (1 - tau0)(cos(pi k / K) + 1) / 2. Higher keeps the key "
                      "side steadier but lets it lag; short runs need lower values")};
}

/// `params` followed by keyUpdateParams().
inline std::vector<ParamSpec> withKeyUpdate(std::vector<ParamSpec> params) {
    for (ParamSpec& spec : keyUpdateParams()) {
        params.push_back(std::move(spec));
    }
    return params;
}

}  // namespace crl::graph::nodes
