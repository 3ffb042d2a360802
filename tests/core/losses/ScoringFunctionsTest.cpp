// The scoring functions of survey §III-E1 against tests/data/reference/losses_reference.py: each
// score matrix, contracted with a fixed upstream matrix, and its gradient w.r.t. queries, keys
// (and the bilinear W) to 1e-5 in fp32, including a zero L1/L2 distance; then the factory's names
// and the user errors for unknown names and mismatched widths.

#include <ATen/ATen.h>
#include <QTest>

#include "LossReference.h"
#include "losses/BilinearScore.h"
#include "losses/CosineScore.h"
#include "losses/DotScore.h"
#include "losses/NegativeL1Score.h"
#include "losses/NegativeL2Score.h"
#include "losses/ScoringFunction.h"

using namespace crl::losses;
using namespace crl::testing;

namespace {

const std::string kFixture = "scoring_functions_cases.json";

}  // namespace

class ScoringFunctionsTest : public QObject {
    Q_OBJECT

private slots:
    void scoresAndGradientsMatchTheReference_data() { addReferenceRows(kFixture); }

    void scoresAndGradientsMatchTheReference() {
        QFETCH(int, index);
        ReferenceCase c = loadReferenceCase(kFixture, index);
        const std::string kind = c.entry.at("loss");
        const at::Tensor& queries = c.input("queries");
        const at::Tensor& keys = c.input("keys");

        at::Tensor scores;
        if (kind == "bilinear") {
            BilinearScore bilinear(BilinearScoreOptions(queries.size(1), keys.size(1)));
            {
                at::NoGradGuard noGrad;
                bilinear->weight.copy_(c.input("weight"));
            }
            // The module's own W is the leaf whose gradient is compared.
            c.inputs["weight"] = bilinear->weight;
            scores = bilinear->forward(queries, keys);
        } else {
            scores = makeScore(kind)(queries, keys);
        }

        // scores: (3, 5)
        QCOMPARE(scores.sizes().vec(), (std::vector<std::int64_t>{3, 5}));
        at::Tensor upstream = referenceTensor(c.entry.at("params").at("upstream"), {3, 5});
        verifyAgainstReference(c, (scores * upstream.to(at::kFloat)).sum());
    }

    void bilinearWeightGetsTheGradientOfTheFormula() {
        at::manual_seed(11);
        BilinearScore bilinear(BilinearScoreOptions(4, 3));
        at::Tensor queries = at::randn({3, 4});
        at::Tensor keys = at::randn({5, 3});

        bilinear->forward(queries, keys).sum().backward();

        // d(Σ qᵀWk)/dW = (Σ_q q)(Σ_k k)ᵀ
        at::Tensor expected = at::outer(queries.sum(0), keys.sum(0));
        QCOMPARE(bilinear->parameters().size(), std::size_t{1});
        QVERIFY(at::allclose(bilinear->weight.grad(), expected, /*rtol=*/1e-5, /*atol=*/1e-5));
    }

    void bilinearStartsAsTheDotScore() {
        at::manual_seed(12);
        BilinearScore bilinear(BilinearScoreOptions(6, 6));
        at::Tensor queries = at::randn({4, 6});
        at::Tensor keys = at::randn({2, 6});

        QVERIFY(at::allclose(bilinear->forward(queries, keys), dotScores(queries, keys)));
    }

    void factoryNamesRoundTrip() {
        const std::vector<std::string> names = scoringFunctionNames();
        QCOMPARE(names, (std::vector<std::string>{"dot", "cosine", "negative_l1", "negative_l2"}));
        at::Tensor queries = at::tensor({3.0, 4.0}, at::kDouble).view({1, 2});
        at::Tensor keys = at::tensor({0.0, 4.0}, at::kDouble).view({1, 2});

        QCOMPARE(makeScore("dot")(queries, keys).item<double>(), 16.0);
        QCOMPARE(makeScore("cosine")(queries, keys).item<double>(), 0.8);
        QCOMPARE(makeScore("negative_l1")(queries, keys).item<double>(), -3.0);
        QCOMPARE(makeScore("negative_l2")(queries, keys).item<double>(), -3.0);
        for (std::size_t i = 0; i < names.size(); ++i) {
            QCOMPARE(scoringFunctionName(static_cast<ScoringFunction>(i)), names[i]);
        }
    }

    void unknownOrParametrisedNamesAreUserErrors_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("named");
        QTest::newRow("typo") << "cosin"
                              << "\"cosin\"";
        QTest::newRow("bilinear") << "bilinear"
                                  << "BilinearScore";
        QTest::newRow("empty") << ""
                               << "negative_l2";
    }

    void unknownOrParametrisedNamesAreUserErrors() {
        QFETCH(QString, name);
        QFETCH(QString, named);

        const std::string message = userErrorMessage([&] { makeScore(name.toStdString()); });

        QVERIFY2(!message.empty(), "no UserError thrown");
        QVERIFY2(QString::fromStdString(message).contains(named), message.c_str());
    }

    void mismatchedWidthsAreUserErrors_data() {
        QTest::addColumn<QString>("name");
        for (const char* name : {"dot", "cosine", "negative_l1", "negative_l2"}) {
            QTest::newRow(name) << name;
        }
    }

    void mismatchedWidthsAreUserErrors() {
        QFETCH(QString, name);
        const Score score = makeScore(name.toStdString());

        const std::string message = userErrorMessage([&] {
            score(at::ones({2, 3}), at::ones({4, 5}));
        });

        QVERIFY2(QString::fromStdString(message).contains("equal width"), message.c_str());
        BilinearScore bilinear(BilinearScoreOptions(3, 3));
        QVERIFY(!userErrorMessage([&] {
                     bilinear->forward(at::ones({2, 3}), at::ones({4, 5}));
                 }).empty());
        QVERIFY(!userErrorMessage([] { BilinearScore(BilinearScoreOptions(0, 3)); }).empty());
    }

    void coincidingVectorsHaveFiniteDistanceGradients() {
        at::Tensor queries = at::ones({3, 4}).requires_grad_();
        at::Tensor keys = at::ones({2, 4}).requires_grad_();

        at::Tensor distances = l2Distances(queries, keys);
        (distances.sum() + negativeL1Scores(queries, keys).sum()).backward();

        QVERIFY(at::equal(distances, at::zeros({3, 2})));
        QVERIFY(allFinite(queries.grad()));
        QVERIFY(allFinite(keys.grad()));
    }
};

QTEST_GUILESS_MAIN(ScoringFunctionsTest)
#include "ScoringFunctionsTest.moc"
