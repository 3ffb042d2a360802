#pragma once
// One registration function per framework part; each file under graph/nodes/ holds the
// catalogue entries of its family next to the builders of their runtime stages.

namespace crl::graph {
class NodeCatalogue;
}

namespace crl::graph::nodes {

void registerDataNodes(NodeCatalogue& catalogue);
void registerSimilarityNodes(NodeCatalogue& catalogue);
void registerEncoderNodes(NodeCatalogue& catalogue);
void registerHeadNodes(NodeCatalogue& catalogue);
void registerLossNodes(NodeCatalogue& catalogue);
void registerMarginLossNodes(NodeCatalogue& catalogue);
void registerNegativeFreeLossNodes(NodeCatalogue& catalogue);
void registerOptimiserNodes(NodeCatalogue& catalogue);
void registerMonitorNodes(NodeCatalogue& catalogue);

}  // namespace crl::graph::nodes
