#include "graph/NodeCatalogue.h"

#include <algorithm>
#include <cassert>

#include "graph/nodes/NodeFamilies.h"

namespace crl::graph {

std::string_view toString(PortType type) {
    switch (type) {
        case PortType::Images:
            return "Images";
        case PortType::Labels:
            return "Labels";
        case PortType::Views:
            return "Views";
        case PortType::Representation:
            return "Representation";
        case PortType::Embedding:
            return "Embedding";
        case PortType::Loss:
            return "Loss";
    }
    return "?";
}

std::string_view toString(Family family) {
    switch (family) {
        case Family::Data:
            return "Data";
        case Family::Similarity:
            return "Similarity";
        case Family::Encoder:
            return "Encoder";
        case Family::Head:
            return "Head";
        case Family::Loss:
            return "Scoring and loss";
        case Family::Optimiser:
            return "Optimiser";
        case Family::Monitor:
            return "Monitor";
    }
    return "?";
}

namespace {

template <typename T>
const T* findByName(const std::vector<T>& items, std::string_view name) {
    auto it = std::find_if(items.begin(), items.end(), [&](const T& i) { return i.name == name; });
    return it == items.end() ? nullptr : &*it;
}

}  // namespace

const PortSpec* NodeType::input(std::string_view name) const {
    return findByName(inputs, name);
}
const PortSpec* NodeType::output(std::string_view name) const {
    return findByName(outputs, name);
}
const ParamSpec* NodeType::param(std::string_view name) const {
    return findByName(params, name);
}

const NodeCatalogue& NodeCatalogue::instance() {
    static const NodeCatalogue catalogue = [] {
        NodeCatalogue c;
        nodes::registerDataNodes(c);
        nodes::registerSimilarityNodes(c);
        nodes::registerEncoderNodes(c);
        nodes::registerHeadNodes(c);
        nodes::registerLossNodes(c);
        nodes::registerMarginLossNodes(c);
        nodes::registerNegativeFreeLossNodes(c);
        nodes::registerOptimiserNodes(c);
        nodes::registerMonitorNodes(c);
        return c;
    }();
    return catalogue;
}

const NodeType* NodeCatalogue::find(std::string_view id) const {
    auto it =
        std::find_if(m_types.begin(), m_types.end(), [&](const NodeType& t) { return t.id == id; });
    return it == m_types.end() ? nullptr : &*it;
}

void NodeCatalogue::add(NodeType type) {
    assert(find(type.id) == nullptr && "node type registered twice");
    m_types.push_back(std::move(type));
}

}  // namespace crl::graph
