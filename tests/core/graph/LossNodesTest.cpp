// The scoring-and-loss nodes of survey §III-E as a user wires them. Every loss node compiles in a
// pipeline data -> views -> encoder -> head -> loss -> optimiser, and its stage gives exactly the
// value of the loss function called directly on the embeddings that reached it, with parameters
// away from their defaults so that a parameter the node ignored would show. A learned bilinear
// score and SwAV's prototypes are parameters of the plan, get gradient and are saved with it.
// Impossible parameters and a supervised loss without labels are refused naming the node, and a
// few epochs of the SupCon and triplet templates on real Fashion-MNIST lower their loss.

#include <QtTest>

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>
#include <torch/utils.h>

#include "MonitorOften.h"
#include "SmallPipeline.h"
#include "common/Error.h"
#include "graph/GraphValidation.h"
#include "graph/NodeCatalogue.h"
#include "graph/Plan.h"
#include "io/ProjectFile.h"
#include "losses/BarlowTwinsLoss.h"
#include "losses/BilinearScore.h"
#include "losses/BinaryNceLoss.h"
#include "losses/CosineScore.h"
#include "losses/InfoNceLoss.h"
#include "losses/LiftedStructureLoss.h"
#include "losses/NPairLoss.h"
#include "losses/NegativeCosineLoss.h"
#include "losses/NtXentLoss.h"
#include "losses/PairMarginLoss.h"
#include "losses/SupConLoss.h"
#include "losses/SwavLoss.h"
#include "losses/TripletMarginLoss.h"
#include "losses/VicRegLoss.h"
#include "losses/WMseLoss.h"
#include "losses/miners/BatchHardMiner.h"
#include "losses/miners/SemiHardMiner.h"
#include "train/Trainer.h"

using namespace crl;
using namespace crl::graph;
using namespace crl::losses;

namespace {

constexpr std::int64_t kBatch = 16;
constexpr std::int64_t kEmbeddingDim = 8;

using Values = std::map<std::string, PortValue>;

/// What a row feeds the loss node and how the test computes the same loss by hand. `learned` is
/// the stage's own parameter (bilinear W or SwAV prototypes), undefined for the other losses.
struct LossCase {
    std::string type;
    std::map<std::string, ParamValue> params;
    bool labels = false;
    std::function<at::Tensor(const Values& values, const at::Tensor& learned)> expected;
    bool learned = false;
};

const PortValue& z(const Values& values) {
    return values.at("head.embedding");
}

at::Tensor both(const Values& values) {
    return at::cat({z(values).query, z(values).key}, 0);
}

at::Tensor classLabels() {
    return at::arange(kBatch, at::kLong).remainder(4);
}

at::Tensor bothClassLabels() {
    return classLabels().repeat({2});
}

at::Tensor instanceLabels() {
    return at::arange(kBatch, at::kLong).repeat({2});
}

Score bilinearWith(const at::Tensor& weight) {
    BilinearScore bilinear(BilinearScoreOptions(weight.size(0), weight.size(1)));
    {
        torch::NoGradGuard noGrad;
        bilinear->weight.copy_(weight);
    }
    std::shared_ptr<BilinearScoreImpl> impl = bilinear.ptr();
    return [impl](const at::Tensor& q, const at::Tensor& k) { return impl->forward(q, k); };
}

const std::map<QString, LossCase>& lossCases() {
    using P = std::map<std::string, ParamValue>;
    static const std::map<QString, LossCase> table = {
        {"nt_xent tau=0.37",
         {"loss.nt_xent", P{{"temperature", 0.37}}, false,
          [](const Values& v, const at::Tensor&) {
              return ntXentLoss(z(v).query, z(v).key, NtXentLossOptions{0.37});
          }}},
        {"info_nce negative_l1 one-way",
         {"loss.info_nce",
          P{{"score", std::string("negative_l1")}, {"temperature", 0.6}, {"symmetric", false}},
          false,
          [](const Values& v, const at::Tensor&) {
              return infoNceLoss(z(v).query, z(v).key, {}, {0.6, makeScore("negative_l1")});
          }}},
        {"info_nce symmetric cosine",
         {"loss.info_nce", P{{"temperature", 0.25}}, false,
          [](const Values& v, const at::Tensor&) {
              const InfoNceLossOptions o{0.25, makeScore("cosine")};
              return 0.5 * (infoNceLoss(z(v).query, z(v).key, {}, o) +
                            infoNceLoss(z(v).key, z(v).query, {}, o));
          }}},
        {"info_nce bilinear",
         {"loss.info_nce",
          P{{"score", std::string("bilinear")}, {"temperature", 0.5}, {"symmetric", false}}, false,
          [](const Values& v, const at::Tensor& w) {
              return infoNceLoss(z(v).query, z(v).key, {}, {0.5, bilinearWith(w)});
          },
          true}},
        {"supcon dot tau=0.2",
         {"loss.supcon", P{{"score", std::string("dot")}, {"temperature", 0.2}}, true,
          [](const Values& v, const at::Tensor&) {
              return supConLoss(both(v), bothClassLabels(), {0.2, makeScore("dot")});
          }}},
        {"supcon bilinear",
         {"loss.supcon", P{{"score", std::string("bilinear")}}, true,
          [](const Values& v, const at::Tensor& w) {
              return supConLoss(both(v), bothClassLabels(), {0.1, bilinearWith(w)});
          },
          true}},
        {"pair_margin labels normalised m=0.7",
         {"loss.pair_margin", P{{"margin", 0.7}, {"normalize", true}}, true,
          [](const Values& v, const at::Tensor&) {
              return pairMarginLoss(l2Normalize(both(v)), bothClassLabels(), {0.7});
          }}},
        {"pair_margin instances m=1.5",
         {"loss.pair_margin", P{{"margin", 1.5}}, false,
          [](const Values& v, const at::Tensor&) {
              return pairMarginLoss(both(v), instanceLabels(), {1.5});
          }}},
        {"triplet_margin labels batch_hard cosine",
         {"loss.triplet_margin",
          P{{"margin", 0.3},
            {"miner", std::string("batch_hard")},
            {"score", std::string("cosine")},
            {"normalize", false}},
          true,
          [](const Values& v, const at::Tensor&) {
              return tripletMarginLoss(
                  both(v), bothClassLabels(),
                  {0.3, makeScore("cosine"), std::make_shared<BatchHardMiner>()});
          }}},
        {"triplet_margin instances semi_hard",
         {"loss.triplet_margin", P{{"margin", 0.45}}, false,
          [](const Values& v, const at::Tensor&) {
              return tripletMarginLoss(
                  l2Normalize(both(v)), instanceLabels(),
                  {0.45, makeScore("negative_l2"), std::make_shared<SemiHardMiner>()});
          }}},
        {"triplet_margin all negative_l1",
         {"loss.triplet_margin",
          P{{"miner", std::string("all")}, {"score", std::string("negative_l1")}}, true,
          [](const Values& v, const at::Tensor&) {
              return tripletMarginLoss(l2Normalize(both(v)), bothClassLabels(),
                                       {0.2, makeScore("negative_l1"), nullptr});
          }}},
        {"lifted_structure labels negative_l1",
         {"loss.lifted_structure",
          P{{"margin", 0.5}, {"score", std::string("negative_l1")}, {"normalize", false}}, true,
          [](const Values& v, const at::Tensor&) {
              return liftedStructureLoss(both(v), bothClassLabels(),
                                         {0.5, makeScore("negative_l1")});
          }}},
        {"lifted_structure instances",
         {"loss.lifted_structure", P{}, false,
          [](const Values& v, const at::Tensor&) {
              return liftedStructureLoss(l2Normalize(both(v)), instanceLabels(),
                                         {1.0, makeScore("negative_l2")});
          }}},
        {"n_pair symmetric cosine l2=0.01",
         {"loss.n_pair", P{{"score", std::string("cosine")}, {"l2", 0.01}, {"symmetric", true}},
          false,
          [](const Values& v, const at::Tensor&) {
              const NPairLossOptions o{0.01, makeScore("cosine")};
              return 0.5 *
                     (nPairLoss(z(v).query, z(v).key, o) + nPairLoss(z(v).key, z(v).query, o));
          }}},
        {"binary_nce negative_l2 tau=0.3",
         {"loss.binary_nce", P{{"score", std::string("negative_l2")}, {"temperature", 0.3}}, false,
          [](const Values& v, const at::Tensor&) {
              return binaryNceLoss(z(v).query, z(v).key, {0.3, makeScore("negative_l2")});
          }}},
        {"negative_cosine one-way",
         {"loss.negative_cosine", P{{"symmetric", false}}, false,
          [](const Values& v, const at::Tensor&) {
              return negativeCosineLoss(v.at("predictor.embedding").query, z(v).key);
          }}},
        {"info_nce with a key queue (empty at the first step)",
         {"loss.info_nce",
          P{{"queue_size", std::int64_t{32}}, {"temperature", 0.3}, {"symmetric", false}}, false,
          [](const Values& v, const at::Tensor&) {
              return infoNceLoss(z(v).query, z(v).key, {}, {0.3, makeScore("cosine")});
          }}},
        {"negative_cosine without stop-gradient",
         {"loss.negative_cosine", P{{"stop_gradient", false}}, false,
          [](const Values& v, const at::Tensor&) {
              const PortValue& p = v.at("predictor.embedding");
              return symmetricNegativeCosineLoss(p.query, z(v).query, p.key, z(v).key, {false});
          }}},
        {"swav K=7",
         {"loss.swav",
          P{{"prototypes", std::int64_t{7}},
            {"temperature", 0.2},
            {"epsilon", 0.1},
            {"sinkhorn_iterations", std::int64_t{4}}},
          false,
          [](const Values& v, const at::Tensor& prototypes) {
              return swavLoss(cosineScores(z(v).query, prototypes),
                              cosineScores(z(v).key, prototypes), {0.2, 0.1, 4});
          },
          true}},
        {"barlow_twins lambda=0.02",
         {"loss.barlow_twins", P{{"lambda", 0.02}}, false,
          [](const Values& v, const at::Tensor&) {
              return barlowTwinsLoss(z(v).query, z(v).key, {0.02});
          }}},
        {"vicreg 10/20/2",
         {"loss.vicreg", P{{"invariance", 10.0}, {"variance", 20.0}, {"covariance", 2.0}}, false,
          [](const Values& v, const at::Tensor&) {
              return vicRegLoss(z(v).query, z(v).key, {10.0, 20.0, 2.0});
          }}},
        {"w_mse shrinkage=0.1",
         {"loss.w_mse", P{{"shrinkage", 0.1}}, false,
          [](const Values& v, const at::Tensor&) {
              return wMseLoss(z(v).query, z(v).key, {0.1});
          }}},
    };
    return table;
}

/// data -> views -> encoder -> head -> loss -> optimiser, small enough to run in milliseconds.
/// A second head on the representation stands in for a prediction head where the loss has a
/// `prediction` port.
PipelineGraph pipeline(const std::string& lossType, std::map<std::string, ParamValue> params,
                       bool labels) {
    PipelineGraph g = testing::smallLossPipeline(lossType, std::move(params), kEmbeddingDim);
    const NodeType* type = NodeCatalogue::instance().find(lossType);
    if (type->input("prediction") != nullptr) {
        g.nodes.push_back({"predictor",
                           "head.mlp_projection",
                           {{"hidden_dim", std::int64_t{16}}, {"out_dim", kEmbeddingDim}},
                           0,
                           0});
        g.edges.push_back({{"encoder", "representation"}, {"predictor", "representation"}});
        g.edges.push_back({{"predictor", "embedding"}, {"loss", "prediction"}});
        g.edges.push_back({{"head", "embedding"}, {"loss", "target"}});
    } else {
        g.edges.push_back({{"head", "embedding"}, {"loss", "embedding"}});
    }
    if (labels) {
        g.edges.push_back({{"data", "labels"}, {"loss", "labels"}});
    }
    return g;
}

/// One training step's values: random images with four classes through the plan.
Values runOnce(Plan& plan) {
    at::Generator generator = at::detail::createCPUGenerator(11);
    at::Tensor images = at::randint(0, 256, {kBatch, 1, 28, 28}, generator, at::kByte);
    StepContext context{at::detail::createCPUGenerator(12), true, 0};
    return plan.run({{plan.imagesPort(), {images, {}}}, {plan.labelsPort(), {classLabels(), {}}}},
                    context);
}

std::string compileError(const PipelineGraph& graph) {
    try {
        Plan::compile(graph, {});
    } catch (const ProjectError& error) {
        return error.what();
    }
    return {};
}

io::Project templateProject(const std::string& folder) {
    io::Project project =
        io::loadProject(std::filesystem::path(CRL_SOURCE_DIR) / "projects" / folder);
    testing::monitorOften(project.graph, 8, 128);
    return project;
}

}  // namespace

class LossNodesTest : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<const data::DatasetSplits> m_data;

private slots:
    void everyLossNodeHasARowBelow() {
        std::set<std::string> covered;
        for (const auto& [name, c] : lossCases()) {
            covered.insert(c.type);
        }

        for (const NodeType& type : NodeCatalogue::instance().types()) {
            if (type.family == Family::Loss) {
                QVERIFY2(covered.count(type.id) == 1, type.id.c_str());
            }
        }
    }

    void stageGivesTheLossFunctionsValue_data() {
        QTest::addColumn<QString>("name");
        for (const auto& [name, c] : lossCases()) {
            QTest::newRow(name.toUtf8().constData()) << name;
        }
    }

    void stageGivesTheLossFunctionsValue() {
        QFETCH(QString, name);
        const LossCase& c = lossCases().at(name);
        at::manual_seed(3);
        Plan plan = Plan::compile(pipeline(c.type, c.params, c.labels), {});
        at::Tensor learned;
        if (c.learned) {
            // The loss is the last trainable stage; move its parameter off its initial value so
            // that the hand computation must read the very tensor the stage uses.
            learned = plan.parameters().back();
            torch::NoGradGuard noGrad;
            learned.add_(at::randn(learned.sizes()) * 0.3);
        }

        const Values values = runOnce(plan);
        const at::Tensor loss = values.at("loss.loss").query;
        const at::Tensor expected =
            c.expected(values, learned.defined() ? learned.detach() : learned);

        QCOMPARE(loss.dim(), 0);
        QVERIFY(loss.requires_grad());
        QVERIFY2(loss.item<double>() == expected.item<double>(),
                 qPrintable(QString("stage %1, loss function %2")
                                .arg(loss.item<double>(), 0, 'g', 17)
                                .arg(expected.item<double>(), 0, 'g', 17)));
    }

    void learnedScoresAndPrototypesAreTrainedAndSaved_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QList<qint64>>("shape");
        QTest::newRow("bilinear W")
            << "info_nce bilinear" << QList<qint64>{kEmbeddingDim, kEmbeddingDim};
        QTest::newRow("SwAV prototypes") << "swav K=7" << QList<qint64>{7, kEmbeddingDim};
    }

    void learnedScoresAndPrototypesAreTrainedAndSaved() {
        QFETCH(QString, name);
        QFETCH(QList<qint64>, shape);
        const LossCase& c = lossCases().at(name);
        Plan plain = Plan::compile(pipeline("loss.nt_xent", {}, false), {});
        Plan plan = Plan::compile(pipeline(c.type, c.params, c.labels), {});

        // One parameter more than the same pipeline with NT-Xent: the loss's own.
        QCOMPARE(plan.parameters().size(), plain.parameters().size() + 1);
        at::Tensor learned = plan.parameters().back();
        QCOMPARE(learned.sizes().vec(), std::vector<std::int64_t>(shape.begin(), shape.end()));

        runOnce(plan).at("loss.loss").query.backward();
        QVERIFY(learned.grad().defined());
        QVERIFY(learned.grad().abs().sum().item<double>() > 0.0);

        std::stringstream stream;
        torch::serialize::OutputArchive out;
        plan.save(out);
        out.save_to(stream);
        torch::serialize::InputArchive in;
        in.load_from(stream);
        torch::serialize::InputArchive part;
        QVERIFY(in.try_read("stage.loss", part));
    }

    void impossibleParametersAreRefusedNamingTheNode_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("param");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("negative margin")
            << "loss.triplet_margin"
            << "margin" << QVariant(-0.5) << "'margin': -0.5 is outside the allowed range 0 to 100";
        QTest::newRow("zero temperature")
            << "loss.info_nce"
            << "temperature" << QVariant(0.0)
            << "'temperature': 0.0 is outside the allowed range 0.001 to 10";
        QTest::newRow("unknown miner")
            << "loss.triplet_margin"
            << "miner" << QVariant("hardest") << "expected one of all, batch_hard, semi_hard";
        QTest::newRow("unknown score")
            << "loss.supcon"
            << "score" << QVariant("manhattan")
            << "expected one of dot, cosine, negative_l1, negative_l2, bilinear";
        QTest::newRow("negative pair margin") << "loss.pair_margin"
                                              << "margin" << QVariant(-1.0) << "-1.0 is outside";
        QTest::newRow("negative lambda") << "loss.barlow_twins"
                                         << "lambda" << QVariant(-0.01) << "-0.01 is outside";
        QTest::newRow("shrinkage of one") << "loss.w_mse"
                                          << "shrinkage" << QVariant(1.0) << "1.0 is outside";
        QTest::newRow("one prototype") << "loss.swav"
                                       << "prototypes" << QVariant(qint64{1}) << "1 is outside";
    }

    void impossibleParametersAreRefusedNamingTheNode() {
        QFETCH(QString, type);
        QFETCH(QString, param);
        QFETCH(QVariant, value);
        QFETCH(QString, phrase);
        ParamValue v;
        if (value.typeId() == QMetaType::Double) {
            v = value.toDouble();
        } else if (value.typeId() == QMetaType::LongLong) {
            v = std::int64_t{value.toLongLong()};
        } else {
            v = value.toString().toStdString();
        }
        const bool labels = type == "loss.supcon";

        const std::string error =
            compileError(pipeline(type.toStdString(), {{param.toStdString(), v}}, labels));

        QVERIFY2(QString::fromStdString(error).contains("node 'loss'") &&
                     QString::fromStdString(error).contains(phrase),
                 error.c_str());
    }

    void supervisedLossWithoutLabelsIsRefused() {
        const PipelineGraph graph = pipeline("loss.supcon", {}, false);

        const std::vector<ValidationIssue> issues = validate(graph);

        QCOMPARE(issues.size(), std::size_t{1});
        QCOMPARE(issues[0].node, std::string("loss"));
        QCOMPARE(issues[0].field, std::string("labels"));
        QVERIFY2(QString::fromStdString(issues[0].message)
                     .contains("is supervised and needs class labels; connect the data set's "
                               "'labels' output to 'loss.labels'"),
                 issues[0].message.c_str());
        QVERIFY(compileError(graph).find("needs class labels") != std::string::npos);
    }

    void optionalLabelsMayStayUnconnected() {
        for (const char* type :
             {"loss.pair_margin", "loss.triplet_margin", "loss.lifted_structure"}) {
            const std::vector<ValidationIssue> issues = validate(pipeline(type, {}, false));
            QVERIFY2(issues.empty(), type);
        }
    }

    void initTestCase() {
        io::Project project = templateProject("supcon-fashion-mnist");
        m_data = train::loadPipelineData(project.graph, project.folder);
    }

    void fewEpochsOfATemplateLowerItsLoss_data() {
        QTest::addColumn<QString>("folder");
        QTest::newRow("SupCon") << "supcon-fashion-mnist";
        QTest::newRow("triplet, semi-hard") << "triplet-semihard-fashion-mnist";
    }

    void fewEpochsOfATemplateLowerItsLoss() {
        QFETCH(QString, folder);
        io::Project project = templateProject(folder.toStdString());
        train::RunSettings s;
        s.epochs = 3;
        s.batchSize = 64;
        s.seed = 5;
        s.device = "cpu";
        s.threads = 2;
        s.maxSamples = 512;
        s.maxEvalSamples = 200;

        struct Losses : train::RunSink {
            std::map<std::int64_t, double> byStep;
            void onEvent(const train::RunEvent& event) override {
                if (event.kind == train::RunEvent::Kind::Step) {
                    byStep[event.step] = event.metrics.at("loss");
                }
            }
        } losses;
        train::RunControl control;
        train::Trainer(project.graph, project.folder, s, {{}, {}, m_data}).run(losses, control);

        QCOMPARE(losses.byStep.size(), std::size_t{24});
        auto mean = [&](std::int64_t from, std::int64_t to) {
            double sum = 0.0;
            for (std::int64_t step = from; step <= to; ++step) {
                sum += losses.byStep.at(step);
            }
            return sum / static_cast<double>(to - from + 1);
        };
        qInfo("%s: mean loss %.4f in the first epoch, %.4f in the third", qPrintable(folder),
              mean(1, 8), mean(17, 24));
        QVERIFY2(mean(17, 24) < 0.97 * mean(1, 8),
                 qPrintable(QString("first epoch %1, third %2").arg(mean(1, 8)).arg(mean(17, 24))));
    }
};

QTEST_GUILESS_MAIN(LossNodesTest)
#include "LossNodesTest.moc"
