#pragma once
// A pipeline graph compiled into an executable plan: stages in topological order, values passed
// by port. The same plan runs in the GUI's worker, the CLI and the tests. Compiling validates
// the graph first and throws ProjectError listing every problem.

#include <memory>
#include <string>
#include <vector>

#include <ATen/Tensor.h>
#include <c10/core/Device.h>
#include <torch/serialize/archive.h>

#include "graph/PipelineGraph.h"
#include "graph/Stage.h"

namespace crl::graph {

struct CompileOptions {
    std::int64_t channels = 1;
    std::int64_t imageSize = 28;
};

class Plan {
public:
    static Plan compile(const PipelineGraph& graph, const CompileOptions& options);

    Plan(Plan&&) noexcept;
    Plan& operator=(Plan&&) noexcept;
    ~Plan();

    /// Runs every stage whose inputs are available, starting from `seeds` (values placed on
    /// output ports, e.g. the data node's images and labels, or the views of a monitor set).
    /// Returns every value produced, keyed by "node.port". With `until` set, stops as soon as
    /// that port has a value (monitors stop at the embedding and never reach the loss).
    std::map<std::string, PortValue> run(const std::map<std::string, PortValue>& seeds,
                                         StepContext& context, const std::string& until = "");

    const PipelineGraph& graph() const { return m_graph; }
    /// The stage built for node `id`, or nullptr when the plan has no such node.
    Stage* stage(const std::string& id);
    const Node& dataNode() const;
    const Node& optimiserNode() const;

    /// Ports the trainer and monitors read: "node.port" strings.
    const std::string& imagesPort() const { return m_imagesPort; }
    const std::string& labelsPort() const { return m_labelsPort; }
    const std::string& viewsPort() const { return m_viewsPort; }
    const std::string& representationPort() const { return m_representationPort; }
    const std::string& embeddingPort() const { return m_embeddingPort; }
    const std::string& lossPort() const { return m_lossPort; }

    /// Encoder representation v of already-prepared float views (N, C, H, W), in eval mode.
    at::Tensor represent(const at::Tensor& views);
    /// Metric embeddings z of a query/key pair of views, in eval mode.
    PortValue embed(const at::Tensor& query, const at::Tensor& key);

    /// The parameters the optimiser trains; never those of a stage's state module.
    std::vector<at::Tensor> parameters();
    void train(bool on);
    void to(c10::Device device);

    /// Lets every stage update its key side after optimiser step `step` (0-based) of `totalSteps`.
    void afterOptimiserStep(std::int64_t step, std::int64_t totalSteps);

    /// Weights of every trainable module and every state module ("stage.ID", "state.ID").
    void save(torch::serialize::OutputArchive& archive);
    void load(torch::serialize::InputArchive& archive);

private:
    Plan() = default;

    PipelineGraph m_graph;
    std::vector<std::string> m_order;
    std::map<std::string, std::unique_ptr<Stage>> m_stages;
    std::string m_imagesPort, m_labelsPort, m_viewsPort, m_representationPort, m_embeddingPort,
        m_lossPort;
};

}  // namespace crl::graph
