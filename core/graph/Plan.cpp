#include "graph/Plan.h"

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>
#include <torch/utils.h>

#include "common/Error.h"
#include "graph/GraphValidation.h"
#include "graph/NodeCatalogue.h"

namespace crl::graph {
namespace {

std::string portKey(const std::string& node, const std::string& port) {
    return node + "." + port;
}

const NodeType& typeOf(const Node& node) {
    return *NodeCatalogue::instance().find(node.type);
}

}  // namespace

Plan::Plan(Plan&&) noexcept = default;
Plan& Plan::operator=(Plan&&) noexcept = default;
Plan::~Plan() = default;

Plan Plan::compile(const PipelineGraph& graph, const CompileOptions& options) {
    std::vector<ValidationIssue> issues = validate(graph);
    if (!issues.empty()) {
        std::string message = "the pipeline does not compile:";
        for (const ValidationIssue& issue : issues) {
            message += "\n  - " + issue.describe();
        }
        throw ProjectError(message);
    }

    Plan plan;
    plan.m_graph = graph;
    plan.m_order = *graph.topologicalOrder();

    // Build in topological order so each builder can ask for the feature size arriving at its
    // inputs from the stages already built upstream.
    for (const std::string& id : plan.m_order) {
        const Node& node = *graph.findNode(id);
        const NodeType& type = typeOf(node);
        BuildContext context{
            graph, options.channels, options.imageSize,
            [&](const std::string& inputPort) -> std::int64_t {
                const Edge* edge = graph.edgeInto({id, inputPort});
                if (edge == nullptr || plan.m_stages.count(edge->from.node) == 0) {
                    return 0;
                }
                return plan.m_stages.at(edge->from.node)->outputDim(edge->from.port);
            }};
        plan.m_stages[id] = type.build(node, context);

        for (const PortSpec& out : type.outputs) {
            std::string key = portKey(id, out.name);
            auto remember = [&](std::string& slot) {
                if (slot.empty()) {
                    slot = key;
                }
            };
            switch (out.type) {
                case PortType::Images:
                    remember(plan.m_imagesPort);
                    break;
                case PortType::Labels:
                    remember(plan.m_labelsPort);
                    break;
                case PortType::Views:
                    remember(plan.m_viewsPort);
                    break;
                case PortType::Representation:
                    remember(plan.m_representationPort);
                    break;
                case PortType::Embedding:
                    remember(plan.m_embeddingPort);
                    break;
                case PortType::Loss:
                    remember(plan.m_lossPort);
                    break;
            }
        }
    }

    if (plan.m_imagesPort.empty() || plan.m_viewsPort.empty() ||
        plan.m_representationPort.empty() || plan.m_lossPort.empty()) {
        throw ProjectError(
            "the pipeline does not compile: it needs a path data set -> views -> encoder -> ... -> "
            "loss");
    }
    return plan;
}

std::map<std::string, PortValue> Plan::run(const std::map<std::string, PortValue>& seeds,
                                           StepContext& context, const std::string& until) {
    std::map<std::string, PortValue> values = seeds;
    for (const std::string& id : m_order) {
        if (!until.empty() && values.count(until) != 0) {
            break;
        }
        const Node& node = *m_graph.findNode(id);
        const NodeType& type = typeOf(node);

        // A stage runs when all its required inputs have values and it has outputs left to make.
        bool produced =
            std::all_of(type.outputs.begin(), type.outputs.end(),
                        [&](const PortSpec& p) { return values.count(portKey(id, p.name)) != 0; });
        if (produced && !type.outputs.empty()) {
            continue;
        }
        PortValues inputs;
        bool ready = true;
        for (const PortSpec& port : type.inputs) {
            const Edge* edge = m_graph.edgeInto({id, port.name});
            auto value = edge == nullptr ? values.end()
                                         : values.find(portKey(edge->from.node, edge->from.port));
            if (value != values.end()) {
                inputs[port.name] = value->second;
            } else if (!port.optional) {
                ready = false;
            }
        }
        if (!ready || type.outputs.empty()) {
            continue;
        }

        PortValues outputs = m_stages.at(id)->forward(inputs, context);
        for (auto& [port, value] : outputs) {
            values[portKey(id, port)] = std::move(value);
        }
    }
    return values;
}

Stage* Plan::stage(const std::string& id) {
    auto it = m_stages.find(id);
    return it == m_stages.end() ? nullptr : it->second.get();
}

const Node& Plan::dataNode() const {
    for (const Node& node : m_graph.nodes) {
        if (typeOf(node).family == Family::Data) {
            return node;
        }
    }
    throw ProjectError("the pipeline has no data-set node");
}

const Node& Plan::optimiserNode() const {
    for (const Node& node : m_graph.nodes) {
        if (typeOf(node).family == Family::Optimiser) {
            return node;
        }
    }
    throw ProjectError("the pipeline has no optimiser node");
}

at::Tensor Plan::represent(const at::Tensor& views) {
    torch::NoGradGuard noGrad;
    StepContext context{at::Generator(), false, 0};
    std::map<std::string, PortValue> values =
        run({{m_viewsPort, {views, {}}}}, context, m_representationPort);
    return values.at(m_representationPort).query;
}

PortValue Plan::embed(const at::Tensor& query, const at::Tensor& key) {
    torch::NoGradGuard noGrad;
    StepContext context{at::Generator(), false, 0};
    const std::string& port = m_embeddingPort.empty() ? m_representationPort : m_embeddingPort;
    std::map<std::string, PortValue> values = run({{m_viewsPort, {query, key}}}, context, port);
    return values.at(port);
}

std::vector<at::Tensor> Plan::parameters() {
    std::vector<at::Tensor> all;
    for (const std::string& id : m_order) {
        if (torch::nn::Module* module = m_stages.at(id)->module()) {
            for (const at::Tensor& p : module->parameters()) {
                all.push_back(p);
            }
        }
    }
    return all;
}

void Plan::train(bool on) {
    for (auto& [id, stage] : m_stages) {
        for (torch::nn::Module* module : {stage->module(), stage->stateModule()}) {
            if (module != nullptr) {
                module->train(on);
            }
        }
    }
}

void Plan::to(c10::Device device) {
    for (auto& [id, stage] : m_stages) {
        for (torch::nn::Module* module : {stage->module(), stage->stateModule()}) {
            if (module != nullptr) {
                module->to(device);
            }
        }
    }
}

void Plan::afterOptimiserStep(std::int64_t step, std::int64_t totalSteps) {
    for (const std::string& id : m_order) {
        m_stages.at(id)->afterOptimiserStep(step, totalSteps);
    }
}

void Plan::save(torch::serialize::OutputArchive& archive) {
    for (auto& [id, stage] : m_stages) {
        if (torch::nn::Module* module = stage->module()) {
            torch::serialize::OutputArchive part;
            module->save(part);
            archive.write("stage." + id, part);
        }
        if (torch::nn::Module* state = stage->stateModule()) {
            torch::serialize::OutputArchive part;
            state->save(part);
            archive.write("state." + id, part);
        }
    }
}

void Plan::load(torch::serialize::InputArchive& archive) {
    for (auto& [id, stage] : m_stages) {
        if (torch::nn::Module* module = stage->module()) {
            torch::serialize::InputArchive part;
            if (!archive.try_read("stage." + id, part)) {
                throw DataError("the checkpoint has no weights for node '" + id +
                                "'; it was written for a different pipeline");
            }
            module->load(part);
        }
        if (torch::nn::Module* state = stage->stateModule()) {
            torch::serialize::InputArchive part;
            if (!archive.try_read("state." + id, part)) {
                throw DataError(
                    "the checkpoint has no key-side state (momentum copy or key "
                    "queue) for node '" +
                    id + "'; it was written for a pipeline without it");
            }
            state->load(part);
        }
    }
}

}  // namespace crl::graph
