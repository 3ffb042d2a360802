// How the key side is computed, as a user wires it (survey §III-C2, §III-D): an encoder and a
// head with key_update = momentum send the query views through the online module and the key
// views through an EMA copy that gets no gradient, is not among the parameters the optimiser
// trains, follows the plan into eval mode, moves after each optimiser step and is saved with the
// plan. The prediction head maps z to p of the same width, each side as its own batch. InfoNCE
// with a key queue contrasts the queries with the keys of earlier steps, and refuses a queue
// shorter than the batch naming the node, the value and the fix.

#include <QtTest>

#include <set>
#include <sstream>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>
#include <torch/utils.h>

#include "SmallPipeline.h"
#include "common/Error.h"
#include "graph/Plan.h"
#include "losses/InfoNceLoss.h"
#include "models/MomentumEncoder.h"

using namespace crl;
using namespace crl::graph;

namespace {

constexpr std::int64_t kBatch = 16;

using Values = std::map<std::string, PortValue>;

/// data -> views -> encoder -> head -> loss -> optimiser with the given key update on the
/// encoder and the head, and an optional prediction head before a negative-cosine loss.
PipelineGraph pipeline(const std::string& keyUpdate, const std::string& lossType,
                       std::map<std::string, ParamValue> lossParams = {}) {
    const std::map<std::string, ParamValue> momentum{{"key_update", keyUpdate}, {"momentum", 0.9}};
    PipelineGraph g =
        testing::smallLossPipeline(lossType, std::move(lossParams), 8, momentum, momentum);
    if (lossType == "loss.negative_cosine") {
        g.nodes.push_back(
            {"predictor", "head.prediction", {{"hidden_dim", std::int64_t{4}}}, 0, 0});
        g.edges.push_back({{"head", "embedding"}, {"predictor", "embedding"}});
        g.edges.push_back({{"predictor", "prediction"}, {"loss", "prediction"}});
        g.edges.push_back({{"head", "embedding"}, {"loss", "target"}});
    } else {
        g.edges.push_back({{"head", "embedding"}, {"loss", "embedding"}});
    }
    return g;
}

Values runOnce(Plan& plan, std::uint64_t seed = 11) {
    at::Generator generator = at::detail::createCPUGenerator(seed);
    at::Tensor images = at::randint(0, 256, {kBatch, 1, 28, 28}, generator, at::kByte);
    StepContext context{at::detail::createCPUGenerator(seed + 1), true, 0};
    return plan.run({{plan.imagesPort(), {images, {}}}}, context);
}

std::set<const void*> identities(const std::vector<at::Tensor>& tensors) {
    std::set<const void*> ids;
    for (const at::Tensor& t : tensors) {
        ids.insert(t.unsafeGetTensorImpl());
    }
    return ids;
}

at::Tensor flat(const std::vector<at::Tensor>& tensors) {
    std::vector<at::Tensor> parts;
    for (const at::Tensor& t : tensors) {
        parts.push_back(t.detach().flatten());
    }
    return at::cat(parts);
}

}  // namespace

class KeyUpdateNodesTest : public QObject {
    Q_OBJECT

private slots:
    void momentumKeyBranchGetsNoGradientAndIsNotOptimised() {
        at::manual_seed(1);
        Plan shared = Plan::compile(pipeline("shared", "loss.info_nce"), {});
        Plan plan = Plan::compile(pipeline("momentum", "loss.info_nce"), {});
        QVERIFY(shared.stage("encoder")->stateModule() == nullptr);

        // The optimiser's parameters are the online modules' alone.
        QCOMPARE(plan.parameters().size(), shared.parameters().size());
        const std::set<const void*> optimised = identities(plan.parameters());
        for (const char* id : {"encoder", "head"}) {
            torch::nn::Module* key = plan.stage(id)->stateModule();
            QVERIFY2(key != nullptr, id);
            QVERIFY(!key->parameters().empty());
            for (const at::Tensor& p : key->parameters()) {
                QVERIFY2(optimised.count(p.unsafeGetTensorImpl()) == 0, id);
                QVERIFY(!p.requires_grad());
            }
        }

        // Queries carry gradient, keys none; backward reaches the online modules only.
        const Values values = runOnce(plan);
        QVERIFY(values.at("encoder.representation").query.requires_grad());
        QVERIFY(!values.at("encoder.representation").key.requires_grad());
        QVERIFY(!values.at("head.embedding").key.requires_grad());
        values.at("loss.loss").query.backward();
        for (const at::Tensor& p : plan.parameters()) {
            QVERIFY(p.grad().defined());
        }
        for (const char* id : {"encoder", "head"}) {
            for (const at::Tensor& p : plan.stage(id)->stateModule()->parameters()) {
                QVERIFY2(!p.grad().defined(), id);
            }
        }
    }

    void keyCopyMovesAfterTheOptimiserStepAndFollowsEvalMode() {
        at::manual_seed(2);
        Plan plan = Plan::compile(pipeline("momentum", "loss.info_nce"), {});
        torch::nn::Module& online = *plan.stage("encoder")->module();
        torch::nn::Module& key = *plan.stage("encoder")->stateModule();
        QVERIFY(flat(key.parameters()).equal(flat(online.parameters())));  // starts as a clone

        plan.train(false);
        QVERIFY(!key.is_training());
        plan.train(true);
        QVERIFY(key.is_training());

        // Stand in for an optimiser step, then let the plan average: 0.9 key + 0.1 online.
        {
            torch::NoGradGuard noGrad;
            for (at::Tensor& p : online.parameters()) {
                p.add_(at::randn(p.sizes()));
            }
        }
        const at::Tensor before = flat(key.parameters());
        const at::Tensor target = flat(online.parameters());
        plan.afterOptimiserStep(0, 10);
        const double tau = models::momentumAt(0.9, 0, 10);
        QCOMPARE(tau, 0.9);
        const at::Tensor expected = before * tau + target * (1.0 - tau);
        QVERIFY((flat(key.parameters()) - expected).abs().max().item<double>() < 1e-6);
    }

    void keyCopiesAndQueueAreSavedWithThePlan() {
        at::manual_seed(3);
        auto graph = pipeline("momentum", "loss.info_nce", {{"queue_size", std::int64_t{48}}});
        Plan plan = Plan::compile(graph, {});
        runOnce(plan).at("loss.loss").query.backward();
        plan.afterOptimiserStep(0, 10);

        std::stringstream stream;
        torch::serialize::OutputArchive out;
        plan.save(out);
        out.save_to(stream);

        at::manual_seed(4);
        Plan restored = Plan::compile(graph, {});
        torch::serialize::InputArchive in;
        in.load_from(stream);
        restored.load(in);
        for (const char* id : {"encoder", "head", "loss"}) {
            torch::nn::Module* saved = plan.stage(id)->stateModule();
            torch::nn::Module* loaded = restored.stage(id)->stateModule();
            QVERIFY2(saved != nullptr && loaded != nullptr, id);
            QVERIFY2(flat(loaded->buffers()).equal(flat(saved->buffers())), id);
            if (!saved->parameters().empty()) {
                QVERIFY2(flat(loaded->parameters()).equal(flat(saved->parameters())), id);
            }
        }

        // A checkpoint without the key side does not fit a momentum pipeline.
        std::stringstream plainStream;
        torch::serialize::OutputArchive plainOut;
        Plan plain = Plan::compile(pipeline("shared", "loss.info_nce"), {});
        plain.save(plainOut);
        plainOut.save_to(plainStream);
        torch::serialize::InputArchive plainIn;
        plainIn.load_from(plainStream);
        try {
            restored.load(plainIn);
            QFAIL("a checkpoint without the momentum copy must be refused");
        } catch (const DataError& e) {
            QVERIFY2(QString(e.what()).contains("'encoder'"), e.what());
        }
    }

    void predictionHeadKeepsTheWidthAndNormalisesEachSideAlone() {
        at::manual_seed(5);
        Plan plan = Plan::compile(pipeline("shared", "loss.negative_cosine"), {});
        const Values values = runOnce(plan);
        const PortValue& z = values.at("head.embedding");
        const PortValue& p = values.at("predictor.prediction");
        QCOMPARE(p.query.sizes().vec(), z.query.sizes().vec());
        QCOMPARE(p.key.sizes().vec(), z.key.sizes().vec());
        QCOMPARE(plan.embeddingPort(), std::string("head.embedding"));

        // Batch norm over the query side alone gives the same p as in the paired run.
        StepContext context{at::detail::createCPUGenerator(1), true, 0};
        const PortValue alone = plan.stage("predictor")
                                    ->forward({{"embedding", {z.query, {}}}}, context)
                                    .at("prediction");
        QVERIFY(alone.query.allclose(p.query, 1e-6, 1e-6));
    }

    void oneWayNegativeCosineComparesQueryPredictionsWithKeyTargets() {
        at::manual_seed(6);
        Plan plan =
            Plan::compile(pipeline("momentum", "loss.negative_cosine", {{"symmetric", false}}), {});
        const Values values = runOnce(plan);
        const at::Tensor p = values.at("predictor.prediction").query;
        const at::Tensor zKey = values.at("head.embedding").key;
        const at::Tensor expected = -at::cosine_similarity(p, zKey, 1, 1e-12).mean();
        const at::Tensor loss = values.at("loss.loss").query;
        QVERIFY2(
            std::abs(loss.item<double>() - expected.item<double>()) < 1e-6,
            qPrintable(QString("%1 vs %2").arg(loss.item<double>()).arg(expected.item<double>())));
        QVERIFY(loss.requires_grad());
    }

    void queuedKeysAreNegativesOfTheNextStep() {
        at::manual_seed(7);
        Plan plan = Plan::compile(
            pipeline(
                "momentum", "loss.info_nce",
                {{"queue_size", std::int64_t{40}}, {"symmetric", false}, {"temperature", 0.2}}),
            {});
        const Values first = runOnce(plan, 11);
        const at::Tensor firstKeys = first.at("head.embedding").key.detach();
        plan.afterOptimiserStep(0, 10);

        const Values second = runOnce(plan, 21);
        const PortValue& z = second.at("head.embedding");
        const at::Tensor expected =
            losses::infoNceLoss(z.query, z.key, firstKeys, {0.2, losses::makeScore("cosine")});
        QCOMPARE(second.at("loss.loss").query.item<double>(), expected.item<double>());
    }

    void queueShorterThanTheBatchIsRefusedNamingTheFix() {
        Plan plan = Plan::compile(
            pipeline("momentum", "loss.info_nce", {{"queue_size", std::int64_t{10}}}), {});
        try {
            runOnce(plan);
            QFAIL("a queue of 10 keys cannot take a batch of 16");
        } catch (const UserError& e) {
            const QString message = e.what();
            QVERIFY2(message.contains("'loss'") && message.contains("queue_size 10") &&
                         message.contains("16") && message.contains("at least the batch size"),
                     e.what());
        }
    }
};

QTEST_GUILESS_MAIN(KeyUpdateNodesTest)
#include "KeyUpdateNodesTest.moc"
