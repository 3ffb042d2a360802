#pragma once
// Layered placement of a pipeline for the editor's auto-layout: each node goes in the column of
// its depth (the longest chain of links from a node without inputs), so the data set sits on
// the left and the framework's stages (Fig. 3 of the survey) follow rightwards. Columns stack
// their nodes top to bottom in graph order and are centred on a common middle line.

#include <QPointF>
#include <QSizeF>

#include <map>
#include <string>

#include "graph/PipelineGraph.h"

namespace crl::widgets {

/// New top-left positions for every node of `graph`. `sizes` holds drawn node sizes; a node
/// missing from it takes `fallback`. In a graph with a cycle the nodes are taken in file order
/// and a link from a node not placed yet is ignored, so every node still gets a column.
std::map<std::string, QPointF> layeredLayout(const graph::PipelineGraph& graph,
                                             const std::map<std::string, QSizeF>& sizes,
                                             QSizeF fallback);

}  // namespace crl::widgets
