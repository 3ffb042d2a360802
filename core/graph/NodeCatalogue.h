#pragma once
// The node catalogue: the one description of every node type a pipeline can use (survey §III,
// Fig. 3: data set, similarity distribution, encoder, transform head, scoring + loss), plus the
// optimiser. Each entry lists its typed ports, its parameters (type, default, range, unit,
// help) and the survey section it implements, and points at the function that builds its
// runtime stage. Palette, inspector, validation, project-file schema and CLI all read it.
// This header is torch-free so that widgets can include it.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "graph/ParamValue.h"

namespace crl::graph {

class Stage;
struct Node;
struct BuildContext;

/// What flows along an edge.
enum class PortType { Images, Labels, Views, Representation, Embedding, Loss };

/// The framework part a node type belongs to; the palette groups by it.
enum class Family { Data, Similarity, Encoder, Head, Loss, Optimiser, Monitor };

std::string_view toString(PortType type);
std::string_view toString(Family family);

struct PortSpec {
    std::string name;
    PortType type;
    std::string help;
    bool optional = false;
};

enum class ParamKind { Bool, Int, Real, Choice, Text, Path };

struct ParamSpec {
    std::string name;
    ParamKind kind;
    ParamValue defaultValue;
    double minimum = 0.0;              ///< inclusive; used for Int and Real
    double maximum = 0.0;              ///< inclusive; used for Int and Real
    std::string unit;                  ///< e.g. "px", "samples"; empty when unitless
    std::vector<std::string> choices;  ///< for Choice
    std::string help;
};

using BuildFn = std::unique_ptr<Stage> (*)(const Node& node, const BuildContext& context);

struct NodeType {
    std::string id;  ///< stable, used in project files: "loss.nt_xent"
    Family family;
    std::string title;
    std::string help;
    std::string surveySection;  ///< e.g. "§III-E3"
    std::vector<PortSpec> inputs;
    std::vector<PortSpec> outputs;
    std::vector<ParamSpec> params;
    BuildFn build = nullptr;

    const PortSpec* input(std::string_view name) const;
    const PortSpec* output(std::string_view name) const;
    const ParamSpec* param(std::string_view name) const;
};

/// The process-wide catalogue; built once, immutable afterwards.
class NodeCatalogue {
public:
    static const NodeCatalogue& instance();

    const std::vector<NodeType>& types() const { return m_types; }
    /// nullptr when no type has that id.
    const NodeType* find(std::string_view id) const;

    void add(NodeType type);

private:
    std::vector<NodeType> m_types;
};

}  // namespace crl::graph
