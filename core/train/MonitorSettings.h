#pragma once
// The monitor nodes of a pipeline decide what the trainer measures. Torch-free.

#include "graph/PipelineGraph.h"
#include "train/RunSettings.h"

namespace crl::train {

/// settings with the parameters of the graph's monitor nodes applied: a
/// monitor.embedding_quality node sets metricsEvery and monitorSamples, a monitor.knn node
/// sets knnK and knnTemperature. Settings the graph has no node for keep
/// their run-section values.
RunSettings withMonitorNodes(const graph::PipelineGraph& graph, RunSettings settings);

}  // namespace crl::train
