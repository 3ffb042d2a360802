// Probabilistic NCE-based loss nodes (survey §III-E3/E4): NT-Xent, InfoNCE, supervised
// contrastive, multi-class N-pair and binary NCE. The margin losses are in MarginLossNodes.cpp,
// the negative-free ones in NegativeFreeLossNodes.cpp.

#include "common/Error.h"
#include "graph/nodes/LossStage.h"
#include "graph/nodes/NodeFamilies.h"
#include "graph/nodes/ParamSpecs.h"
#include "losses/BinaryNceLoss.h"
#include "losses/InfoNceLoss.h"
#include "losses/NPairLoss.h"
#include "losses/NtXentLoss.h"
#include "losses/SupConLoss.h"
#include "models/KeyQueue.h"

namespace crl::graph::nodes {
namespace {

ParamSpec temperatureParam(double value) {
    return realParam("temperature", value, 0.001, 10.0, "",
                     "temperature tau dividing the scores; lower values weight hard negatives "
                     "more");
}

std::unique_ptr<Stage> buildNtXent(const Node& node, const BuildContext& context) {
    const losses::NtXentLossOptions options{context.graph.real(node, "temperature")};
    return std::make_unique<LossStage>([options, id = node.id](const PortValues& inputs) {
        const PortValue& z = viewPair(inputs, "embedding", id);
        return losses::ntXentLoss(z.query, z.key, options);
    });
}

// InfoNCE with an optional MoCo key queue (survey §III-C2): the queued keys of earlier batches
// join this batch's keys as negatives of the queries, and after the optimiser step this batch's
// keys are enqueued. The queue is the stage's state module, so checkpoints keep it.
class InfoNceStage : public Stage {
public:
    InfoNceStage(std::string node, losses::InfoNceLossOptions options, bool symmetric,
                 std::shared_ptr<torch::nn::Module> score, models::KeyQueue queue)
        : m_node(std::move(node)),
          m_options(std::move(options)),
          m_symmetric(symmetric),
          m_score(std::move(score)),
          m_queue(std::move(queue)) {}

    PortValues forward(const PortValues& inputs, StepContext& context) override {
        const PortValue& z = viewPair(inputs, "embedding", m_node);
        at::Tensor negatives;
        if (!m_queue.is_empty()) {
            const std::int64_t size = m_queue->options.size();
            if (z.key.size(0) > size) {
                throw UserError("node '" + m_node + "': queue_size " + std::to_string(size) +
                                " is shorter than a batch of " + std::to_string(z.key.size(0)) +
                                " keys; set queue_size to at least the batch size (MoCo keeps "
                                "many batches, e.g. 4096), lower the batch size, or set it to 0 "
                                "for in-batch negatives only");
            }
            negatives = m_queue->negatives();
            if (context.training) {
                m_pending = z.key.detach();
            }
        }

        // The queue holds keys, so it adds negatives to the query -> key direction only.
        at::Tensor loss = losses::infoNceLoss(z.query, z.key, negatives, m_options);
        if (m_symmetric) {
            loss = 0.5 * (loss + losses::infoNceLoss(z.key, z.query, {}, m_options));
        }
        return {{"loss", {loss, {}}}};
    }

    void afterOptimiserStep(std::int64_t, std::int64_t) override {
        if (m_pending.defined()) {
            m_queue->enqueue(m_pending);
            m_pending = at::Tensor();
        }
    }

    torch::nn::Module* module() override { return m_score.get(); }
    torch::nn::Module* stateModule() override {
        return m_queue.is_empty() ? nullptr : m_queue.ptr().get();
    }

private:
    std::string m_node;
    losses::InfoNceLossOptions m_options;
    bool m_symmetric;
    std::shared_ptr<torch::nn::Module> m_score;
    models::KeyQueue m_queue;
    at::Tensor m_pending;  ///< this step's keys, enqueued after the optimiser step
};

std::unique_ptr<Stage> buildInfoNce(const Node& node, const BuildContext& context) {
    ScoreChoice score = buildScore(node, context);
    const losses::InfoNceLossOptions options{context.graph.real(node, "temperature"), score.score};
    const bool symmetric = context.graph.boolean(node, "symmetric");

    models::KeyQueue queue{nullptr};
    if (const std::int64_t size = context.graph.integer(node, "queue_size"); size > 0) {
        const std::int64_t dim = context.inputDim("embedding");
        if (dim < 1) {
            throw ProjectError("node '" + node.id +
                               "': the key queue needs the width of the 'embedding' input; "
                               "connect it to a head or encoder");
        }
        queue = models::KeyQueue(models::KeyQueueOptions(size, dim));
    }
    return std::make_unique<InfoNceStage>(node.id, options, symmetric, score.module, queue);
}

std::unique_ptr<Stage> buildSupCon(const Node& node, const BuildContext& context) {
    ScoreChoice score = buildScore(node, context);
    const losses::SupConLossOptions options{context.graph.real(node, "temperature"), score.score};
    return std::make_unique<LossStage>(
        [options](const PortValues& inputs) {
            const PortValue& z = inputs.at("embedding");
            return losses::supConLoss(stackedViews(z), stackedLabels(inputs, z), options);
        },
        score.module);
}

std::unique_ptr<Stage> buildNPair(const Node& node, const BuildContext& context) {
    ScoreChoice score = buildScore(node, context);
    const losses::NPairLossOptions options{context.graph.real(node, "l2"), score.score};
    const bool symmetric = context.graph.boolean(node, "symmetric");
    return std::make_unique<LossStage>(
        [options, symmetric, id = node.id](const PortValues& inputs) {
            const PortValue& z = viewPair(inputs, "embedding", id);
            at::Tensor loss = losses::nPairLoss(z.query, z.key, options);
            if (!symmetric) {
                return loss;
            }
            return 0.5 * (loss + losses::nPairLoss(z.key, z.query, options));
        },
        score.module);
}

std::unique_ptr<Stage> buildBinaryNce(const Node& node, const BuildContext& context) {
    ScoreChoice score = buildScore(node, context);
    const losses::BinaryNceLossOptions options{context.graph.real(node, "temperature"),
                                               score.score};
    return std::make_unique<LossStage>(
        [options, id = node.id](const PortValues& inputs) {
            const PortValue& z = viewPair(inputs, "embedding", id);
            return losses::binaryNceLoss(z.query, z.key, options);
        },
        score.module);
}

}  // namespace

void registerLossNodes(NodeCatalogue& catalogue) {
    catalogue.add({
        "loss.nt_xent",
        Family::Loss,
        "NT-Xent (InfoNCE)",
        "Normalised temperature-scaled cross-entropy (SimCLR; InfoNCE family): every view is a "
        "query whose positive is the other view of its image and whose negatives are the 2N - 2 "
        "views of the other images in the batch, scored by cosine similarity divided by the "
        "temperature. Lower temperatures weight hard negatives more.",
        "§III-E3",
        {embeddingInput()},
        {lossOutput()},
        {realParam("temperature", 0.2, 0.001, 10.0, "",
                   "temperature tau dividing the cosine scores")},
        &buildNtXent,
    });
    catalogue.add({
        "loss.info_nce",
        Family::Loss,
        "InfoNCE",
        "InfoNCE (CPC, MoCo): each query view is classified among the N key views of the batch; "
        "the key of its own image is the positive, the other N - 1 keys are the negatives. Any "
        "scoring function may be used; the bilinear score learns a matrix W as the original CPC "
        "loss did. Symmetric averages the query-to-key and key-to-query directions. Minimising it "
        "maximises a lower bound on the mutual information between the views. With queue_size "
        "> 0 the keys of recent batches, kept in a first-in first-out queue (MoCo), are extra "
        "negatives of every query; pair it with a momentum encoder and head so that the queued "
        "keys stay consistent with the current ones.",
        "§III-E3, §III-E4, §III-C2",
        {embeddingInput()},
        {lossOutput()},
        {scoreParam("cosine", "scoring function s(q, k) of §III-E1"), temperatureParam(0.1),
         boolParam("symmetric", true,
                   "average both directions (query->key and key->query); the queue only adds "
                   "negatives to query->key"),
         intParam("queue_size", 0, 0, 1048576, "keys",
                  "length of the MoCo key queue: the keys of the last queue_size / N batches "
                  "are extra negatives; at least the batch size; 0 = in-batch negatives only")},
        &buildInfoNce,
    });
    catalogue.add({
        "loss.supcon",
        Family::Loss,
        "Supervised contrastive",
        "Supervised contrastive loss (Khosla et al. 2020): class labels define the positives. "
        "Each of the 2N views is an anchor whose positives are all other views of its class in "
        "the batch, both views of each image included, and whose denominator holds every other "
        "view. Needs the data set's labels; anchors without a positive in the batch are left "
        "out.",
        "§III-B5, §III-E3",
        {embeddingInput(), labelsInput(false)},
        {lossOutput()},
        {scoreParam("cosine", "scoring function s(z_i, z_p) of §III-E1"), temperatureParam(0.1)},
        &buildSupCon,
    });
    catalogue.add({
        "loss.n_pair",
        Family::Loss,
        "Multi-class N-pair",
        "Multi-class N-pair loss (Sohn 2016): the query view of each image is the anchor, the "
        "key view of the same image its positive, and the key views of the other N - 1 images "
        "its negatives, in one softmax over dot products; a small L2 penalty on the embeddings "
        "keeps the unnormalised scores bounded. Instance discrimination: every image of the "
        "batch is its own class.",
        "§III-E3",
        {embeddingInput()},
        {lossOutput()},
        {scoreParam("dot", "scoring function s(f, f+) of §III-E1; the paper uses dot"),
         realParam("l2", 0.002, 0.0, 1.0, "",
                   "weight of the squared embedding norms added to the loss; 0 turns it off"),
         boolParam("symmetric", false, "also use the key views as anchors and average")},
        &buildNPair,
    });
    catalogue.add({
        "loss.binary_nce",
        Family::Loss,
        "Binary NCE",
        "Binary noise-contrastive estimation (Gutmann and Hyvarinen 2010): each (query, key) "
        "pair is classified as a positive (two views of one image) or as noise (views of "
        "different images) by a logistic regression on the score divided by the temperature. "
        "Unlike InfoNCE, each pair is judged on its own rather than ranked among the batch.",
        "§III-E3",
        {embeddingInput()},
        {lossOutput()},
        {scoreParam("cosine", "scoring function s(q, k) of §III-E1"), temperatureParam(0.1)},
        &buildBinaryNce,
    });
}

}  // namespace crl::graph::nodes
