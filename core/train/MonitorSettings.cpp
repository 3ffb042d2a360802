#include "train/MonitorSettings.h"

namespace crl::train {

RunSettings withMonitorNodes(const graph::PipelineGraph& graph, RunSettings settings) {
    for (const graph::Node& node : graph.nodes) {
        if (node.type == "monitor.embedding_quality") {
            settings.metricsEvery = static_cast<int>(graph.integer(node, "every"));
            settings.monitorSamples = static_cast<int>(graph.integer(node, "pairs"));
        } else if (node.type == "monitor.knn") {
            settings.knnK = static_cast<int>(graph.integer(node, "k"));
            settings.knnTemperature = graph.real(node, "temperature");
        }
    }
    return settings;
}

}  // namespace crl::train
