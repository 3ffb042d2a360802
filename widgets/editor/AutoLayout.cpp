#include "widgets/editor/AutoLayout.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace crl::widgets {

namespace {

constexpr double kColumnGap = 80.0;
constexpr double kRowGap = 40.0;

/// Topological order when there is one; otherwise the file's node order.
std::vector<std::string> placementOrder(const graph::PipelineGraph& graph) {
    if (auto order = graph.topologicalOrder())
        return *order;
    std::vector<std::string> ids;
    for (const graph::Node& node : graph.nodes)
        ids.push_back(node.id);
    return ids;
}

}  // namespace

std::map<std::string, QPointF> layeredLayout(const graph::PipelineGraph& graph,
                                             const std::map<std::string, QSizeF>& sizes,
                                             QSizeF fallback) {
    auto sizeOf = [&](const std::string& id) {
        const auto it = sizes.find(id);
        return it == sizes.end() ? fallback : it->second;
    };

    // Depth: one more than the deepest predecessor placed before it. Following the placement
    // order only, a back edge of a cycle is ignored instead of looping.
    const std::vector<std::string> order = placementOrder(graph);
    std::map<std::string, int> depth;
    for (const std::string& id : order) {
        int d = 0;
        for (const graph::Edge& edge : graph.edges)
            if (edge.to.node == id && depth.count(edge.from.node) != 0)
                d = std::max(d, depth[edge.from.node] + 1);
        depth[id] = d;
    }

    // Columns in graph order, so a re-layout of an unchanged graph is stable.
    int columns = 0;
    for (const auto& [id, d] : depth)
        columns = std::max(columns, d + 1);
    std::vector<std::vector<std::string>> column(static_cast<std::size_t>(columns));
    for (const graph::Node& node : graph.nodes)
        column[static_cast<std::size_t>(depth[node.id])].push_back(node.id);

    std::map<std::string, QPointF> positions;
    double x = 0.0;
    for (const auto& ids : column) {
        double width = 0.0;
        double height = 0.0;
        for (const std::string& id : ids) {
            width = std::max(width, sizeOf(id).width());
            height += sizeOf(id).height() + (height > 0.0 ? kRowGap : 0.0);
        }

        double y = -height / 2.0;
        for (const std::string& id : ids) {
            positions[id] = QPointF(x, std::round(y));
            y += sizeOf(id).height() + kRowGap;
        }
        x += width + kColumnGap;
    }
    return positions;
}

}  // namespace crl::widgets
