// The probabilistic NCE-based losses of survey §III-E3/E4 — multi-class N-pair, binary NCE,
// InfoNCE with in-batch and extra negatives, supervised contrastive — against the float64
// reference of tests/data/reference/losses_reference.py, loss and input gradients (a learned
// bilinear W's included) to 1e-5 in fp32; then SupCon reducing to NT-Xent, a learned bilinear
// score receiving gradient through InfoNCE, degenerate batches and the user errors for an
// impossible temperature.

#include <limits>

#include <ATen/ATen.h>
#include <QTest>

#include "LossReference.h"
#include "losses/BilinearScore.h"
#include "losses/BinaryNceLoss.h"
#include "losses/InfoNceLoss.h"
#include "losses/NPairLoss.h"
#include "losses/NtXentLoss.h"
#include "losses/ScoringFunction.h"
#include "losses/SupConLoss.h"

using namespace crl::losses;
using namespace crl::testing;

namespace {

const std::string kFixture = "nce_losses_cases.json";

enum class NceLoss { NPair, BinaryNce, InfoNce, SupCon };

/// Queries and keys for the pairwise losses; for SupCon both halves of one labelled batch.
at::Tensor evaluate(NceLoss loss, const at::Tensor& queries, const at::Tensor& keys,
                    double temperature = 0.2) {
    switch (loss) {
        case NceLoss::NPair:
            return nPairLoss(queries, keys);
        case NceLoss::BinaryNce:
            return binaryNceLoss(queries, keys, {temperature, makeScore("cosine")});
        case NceLoss::InfoNce:
            return infoNceLoss(queries, keys, {}, {temperature, makeScore("cosine")});
        case NceLoss::SupCon: {
            at::Tensor labels = at::arange(queries.size(0), at::kLong).repeat({2});
            return supConLoss(at::cat({queries, keys}, 0), labels,
                              {temperature, makeScore("cosine")});
        }
    }
    return {};
}

void addLossRows() {
    QTest::addColumn<NceLoss>("loss");
    QTest::newRow("N-pair") << NceLoss::NPair;
    QTest::newRow("binary NCE") << NceLoss::BinaryNce;
    QTest::newRow("InfoNCE") << NceLoss::InfoNce;
    QTest::newRow("SupCon") << NceLoss::SupCon;
}

}  // namespace

Q_DECLARE_METATYPE(NceLoss)

class NceLossesTest : public QObject {
    Q_OBJECT

private slots:
    void lossesAndGradientsMatchTheReference_data() { addReferenceRows(kFixture); }

    void lossesAndGradientsMatchTheReference() {
        QFETCH(int, index);
        ReferenceCase c = loadReferenceCase(kFixture, index);
        const std::string kind = c.entry.at("loss");
        const Score score = referenceScore(c);

        at::Tensor loss;
        if (kind == "n_pair") {
            loss = nPairLoss(c.input("anchors"), c.input("positives"), {c.number("l2"), score});
        } else if (kind == "binary_nce") {
            loss = binaryNceLoss(c.input("queries"), c.input("keys"),
                                 {c.number("temperature"), score});
        } else if (kind == "info_nce") {
            at::Tensor negatives = c.has("negatives") ? c.input("negatives") : at::Tensor();
            loss = infoNceLoss(c.input("queries"), c.input("keys"), negatives,
                               {c.number("temperature"), score});
        } else {
            loss = supConLoss(c.input("embeddings"), c.labels, {c.number("temperature"), score});
        }

        verifyAgainstReference(c, loss);
    }

    void supConWithOneLabelPerSampleIsNtXent_data() {
        QTest::addColumn<double>("temperature");
        QTest::newRow("tau=0.1") << 0.1;
        QTest::newRow("tau=0.5") << 0.5;
    }

    void supConWithOneLabelPerSampleIsNtXent() {
        QFETCH(double, temperature);
        at::manual_seed(31);
        at::Tensor zQuery = at::randn({6, 5}, at::kDouble);
        at::Tensor zKey = at::randn({6, 5}, at::kDouble);
        at::Tensor labels = at::arange(6, at::kLong).repeat({2});

        at::Tensor supCon = supConLoss(at::cat({zQuery, zKey}, 0), labels, {temperature});
        at::Tensor ntXent = ntXentLoss(zQuery, zKey, NtXentLossOptions{temperature});

        QVERIFY(std::abs(supCon.item<double>() - ntXent.item<double>()) < 1e-5);
    }

    void infoNceTrainsABilinearScore() {
        at::manual_seed(32);
        BilinearScore bilinear(BilinearScoreOptions(4, 3));
        at::Tensor queries = at::randn({5, 4});
        at::Tensor keys = at::randn({5, 3});
        const Score score = [&](const at::Tensor& q, const at::Tensor& k) {
            return bilinear->forward(q, k);
        };

        at::Tensor loss = infoNceLoss(queries, keys, {}, {1.0, score});
        loss.backward();

        // With W = I (padded) the loss is N-pair on the first three query coordinates.
        at::Tensor expected = nPairLoss(queries.narrow(1, 0, 3), keys);
        QVERIFY(std::abs(loss.item<double>() - expected.item<double>()) < 1e-5);
        QVERIFY(bilinear->weight.grad().defined());
        QVERIFY(bilinear->weight.grad().abs().sum().item<double>() > 0.0);
    }

    void aBatchOfOneGivesAFiniteValueAndAWarning_data() { addLossRows(); }

    void aBatchOfOneGivesAFiniteValueAndAWarning() {
        QFETCH(NceLoss, loss);
        at::manual_seed(33);
        at::Tensor queries = at::randn({1, 4}).requires_grad_();
        at::Tensor keys = at::randn({1, 4}).requires_grad_();
        WarningCapture capture;

        at::Tensor value = evaluate(loss, queries, keys);
        value.backward();

        QVERIFY(std::isfinite(value.item<double>()));
        QVERIFY(allFinite(queries.grad()));
        // SupCon's two views of the one sample are a valid positive pair, without warning.
        QCOMPARE(capture.warnings.empty(), loss == NceLoss::SupCon);
        if (loss != NceLoss::BinaryNce) {
            // Only the positive is there to pick: −log 1.
            QVERIFY(std::abs(value.item<double>()) < 1e-6);
        }
    }

    void supConWithoutPositivesGivesZero() {
        at::Tensor z = at::randn({4, 3}).requires_grad_();
        WarningCapture capture;

        at::Tensor value = supConLoss(z, at::arange(4, at::kLong));
        at::Tensor single = supConLoss(z.narrow(0, 0, 1), at::zeros({1}, at::kLong));
        (value + single).backward();

        QCOMPARE(value.item<double>(), 0.0);
        QCOMPARE(single.item<double>(), 0.0);
        QVERIFY(at::equal(z.grad(), at::zeros_like(z)));
        QCOMPARE(capture.warnings.size(), std::size_t{2});
    }

    void zeroVectorsGiveFiniteLossesAndGradients_data() { addLossRows(); }

    void zeroVectorsGiveFiniteLossesAndGradients() {
        QFETCH(NceLoss, loss);
        at::Tensor queries = at::zeros({4, 3}).requires_grad_();
        at::Tensor keys = at::zeros({4, 3}).requires_grad_();

        at::Tensor value = evaluate(loss, queries, keys);
        value.backward();

        QVERIFY(std::isfinite(value.item<double>()));
        QVERIFY(allFinite(queries.grad()));
        QVERIFY(allFinite(keys.grad()));
        if (loss == NceLoss::InfoNce || loss == NceLoss::NPair) {
            // All scores 0: a uniform softmax over the 4 keys.
            QVERIFY(std::abs(value.item<double>() - std::log(4.0)) < 1e-6);
        }
    }

    void halfPrecisionIsComputedInFp32_data() { addLossRows(); }

    void halfPrecisionIsComputedInFp32() {
        QFETCH(NceLoss, loss);
        at::manual_seed(34);
        at::Tensor queries = at::randn({6, 8}).to(at::kHalf);
        at::Tensor keys = (queries.to(at::kFloat) + 0.3 * at::randn({6, 8})).to(at::kHalf);
        at::Tensor leaf = queries.clone().requires_grad_();

        // τ = 0.05 gives logits up to 20, whose exp overflows half precision but not fp32.
        at::Tensor half = evaluate(loss, leaf, keys, 0.05);
        at::Tensor single = evaluate(loss, queries.to(at::kFloat), keys.to(at::kFloat), 0.05);
        half.backward();

        QCOMPARE(half.scalar_type(), at::kHalf);
        QVERIFY(std::abs(half.item<double>() - single.item<double>()) <
                1e-2 * std::max(1.0, std::abs(single.item<double>())));
        QVERIFY(allFinite(leaf.grad()));
    }

    void impossibleTemperatureIsAUserError_data() {
        QTest::addColumn<NceLoss>("loss");
        QTest::addColumn<double>("temperature");
        QTest::addColumn<QString>("named");
        for (auto [loss, name] :
             {std::pair{NceLoss::BinaryNce, "binary NCE"}, std::pair{NceLoss::InfoNce, "InfoNCE"},
              std::pair{NceLoss::SupCon, "SupCon"}}) {
            QTest::addRow("%s zero", name) << loss << 0.0 << "got 0";
            QTest::addRow("%s negative", name) << loss << -0.5 << "got -0.5";
            QTest::addRow("%s NaN", name)
                << loss << std::numeric_limits<double>::quiet_NaN() << "got nan";
        }
    }

    void impossibleTemperatureIsAUserError() {
        QFETCH(NceLoss, loss);
        QFETCH(double, temperature);
        QFETCH(QString, named);

        const std::string message = userErrorMessage([&] {
            evaluate(loss, at::ones({4, 3}), at::ones({4, 3}), temperature);
        });

        QVERIFY2(QString::fromStdString(message).contains(named), message.c_str());
        QVERIFY2(QString::fromStdString(message).contains("temperature"), message.c_str());
    }

    void mismatchedShapesAreUserErrors() {
        QVERIFY(!userErrorMessage([] { infoNceLoss(at::ones({4, 3}), at::ones({5, 3})); }).empty());
        QVERIFY(!userErrorMessage([] {
                     infoNceLoss(at::ones({4, 3}), at::ones({4, 3}), at::ones({7, 2}));
                 }).empty());
        QVERIFY(!userErrorMessage([] { nPairLoss(at::ones({4, 3}), at::ones({4, 2})); }).empty());
        QVERIFY(!userErrorMessage([] {
                     nPairLoss(at::ones({4, 3}), at::ones({4, 3}), {-1.0});
                 }).empty());
    }
};

QTEST_GUILESS_MAIN(NceLossesTest)
#include "NceLossesTest.moc"
