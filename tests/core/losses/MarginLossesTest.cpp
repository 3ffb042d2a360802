// The energy-based margin losses of survey §III-E2 — pair (Hadsell et al.), triplet with the
// all, batch-hard and semi-hard miners, lifted structure — against the element-by-element float64
// reference of tests/data/reference/losses_reference.py, loss and input gradient (a learned
// bilinear W's included) to 1e-5 in fp32, and the mined triplets themselves; then degenerate
// batches (one sample, one label, zero vectors, half precision) and the user errors for a negative
// margin.

#include <memory>

#include <ATen/ATen.h>
#include <QTest>

#include "LossReference.h"
#include "losses/LiftedStructureLoss.h"
#include "losses/NegativeL2Score.h"
#include "losses/PairMarginLoss.h"
#include "losses/ScoringFunction.h"
#include "losses/TripletMarginLoss.h"
#include "losses/miners/AllTripletsMiner.h"
#include "losses/miners/BatchHardMiner.h"
#include "losses/miners/SemiHardMiner.h"

using namespace crl::losses;
using namespace crl::testing;

namespace {

const std::string kFixture = "margin_losses_cases.json";

std::shared_ptr<const TripletMiner> makeMiner(const std::string& name) {
    if (name == "batch_hard") {
        return std::make_shared<BatchHardMiner>();
    }
    if (name == "semi_hard") {
        return std::make_shared<SemiHardMiner>();
    }
    return std::make_shared<AllTripletsMiner>();
}

enum class MarginLoss { Pair, Triplet, Lifted };

at::Tensor evaluate(MarginLoss loss, const at::Tensor& z, const at::Tensor& labels,
                    double margin = 0.5) {
    switch (loss) {
        case MarginLoss::Pair:
            return pairMarginLoss(z, labels, {margin});
        case MarginLoss::Triplet:
            return tripletMarginLoss(z, labels, {margin, makeScore("negative_l2"), nullptr});
        case MarginLoss::Lifted:
            return liftedStructureLoss(z, labels, {margin, makeScore("negative_l2")});
    }
    return {};
}

void addLossColumn() {
    QTest::addColumn<MarginLoss>("loss");
}

}  // namespace

Q_DECLARE_METATYPE(MarginLoss)

class MarginLossesTest : public QObject {
    Q_OBJECT

private slots:
    void lossesAndGradientsMatchTheReference_data() { addReferenceRows(kFixture); }

    void lossesAndGradientsMatchTheReference() {
        QFETCH(int, index);
        ReferenceCase c = loadReferenceCase(kFixture, index);
        const std::string kind = c.entry.at("loss");
        const at::Tensor z = c.input("embeddings");

        at::Tensor loss;
        if (kind == "pair") {
            loss = pairMarginLoss(z, c.labels, {c.number("margin")});
        } else if (kind == "triplet") {
            loss = tripletMarginLoss(
                z, c.labels, {c.number("margin"), referenceScore(c), makeMiner(c.text("miner"))});
        } else {
            loss = liftedStructureLoss(z, c.labels, {c.number("margin"), referenceScore(c)});
        }

        verifyAgainstReference(c, loss);
    }

    void minersKeepTheReferenceTriplets_data() {
        QTest::addColumn<int>("index");
        const nlohmann::json cases = loadReferenceCases(kFixture);
        for (std::size_t i = 0; i < cases.size(); ++i) {
            if (cases[i].contains("triplets")) {
                QTest::newRow(cases[i].at("name").get<std::string>().c_str())
                    << static_cast<int>(i);
            }
        }
    }

    void minersKeepTheReferenceTriplets() {
        QFETCH(int, index);
        ReferenceCase c = loadReferenceCase(kFixture, index);
        at::Tensor z = c.input("embeddings").detach();

        const Triplets triplets =
            makeMiner(c.text("miner"))->mine(referenceScore(c)(z, z).detach(), c.labels);

        // mined: (T, 3) as (anchor, positive, negative) rows
        at::Tensor mined = at::stack({triplets.anchors, triplets.positives, triplets.negatives}, 1);
        std::vector<std::int64_t> flat(mined.data_ptr<std::int64_t>(),
                                       mined.data_ptr<std::int64_t>() + mined.numel());
        std::vector<std::int64_t> expected;
        for (const auto& triplet : c.entry.at("triplets")) {
            for (const auto& i : triplet) {
                expected.push_back(i.get<std::int64_t>());
            }
        }
        QCOMPARE(flat, expected);
    }

    void semiHardSkipsPairsWithoutAFartherNegative() {
        // Sample 2 (label 1) sits between the positives 0 and 1: no negative is farther than them.
        at::Tensor z = at::tensor({0.0, 2.0, 1.0}, at::kDouble).view({3, 1});
        at::Tensor labels = at::tensor({0, 0, 1}, at::kLong);

        const Triplets triplets = SemiHardMiner().mine(negativeL2Scores(z, z), labels);

        QCOMPARE(triplets.size(), std::int64_t{0});
        QCOMPARE(BatchHardMiner().mine(negativeL2Scores(z, z), labels).size(), std::int64_t{2});
    }

    void batchesWithoutPairsOrTripletsGiveZeroAndAWarning_data() {
        addLossColumn();
        QTest::addColumn<qint64>("n");
        QTest::addColumn<bool>("oneLabel");
        for (auto [loss, name] :
             {std::pair{MarginLoss::Pair, "pair"}, std::pair{MarginLoss::Triplet, "triplet"},
              std::pair{MarginLoss::Lifted, "lifted"}}) {
            QTest::addRow("%s, batch of one", name) << loss << qint64{1} << true;
            if (loss != MarginLoss::Pair) {
                QTest::addRow("%s, one label", name) << loss << qint64{5} << true;
                QTest::addRow("%s, all labels distinct", name) << loss << qint64{5} << false;
            }
        }
    }

    void batchesWithoutPairsOrTripletsGiveZeroAndAWarning() {
        QFETCH(MarginLoss, loss);
        QFETCH(qint64, n);
        QFETCH(bool, oneLabel);
        at::manual_seed(21);
        at::Tensor z = at::randn({static_cast<std::int64_t>(n), 3}).requires_grad_();
        at::Tensor labels = oneLabel ? at::zeros({static_cast<std::int64_t>(n)}, at::kLong)
                                     : at::arange(static_cast<std::int64_t>(n), at::kLong);
        WarningCapture capture;

        at::Tensor value = evaluate(loss, z, labels);
        value.backward();

        QCOMPARE(value.item<double>(), 0.0);
        QVERIFY(at::equal(z.grad(), at::zeros_like(z)));
        QCOMPARE(capture.warnings.size(), std::size_t{1});
    }

    void zeroVectorsGiveFiniteLossesAndGradients_data() {
        addLossColumn();
        QTest::newRow("pair") << MarginLoss::Pair;
        QTest::newRow("triplet") << MarginLoss::Triplet;
        QTest::newRow("lifted") << MarginLoss::Lifted;
    }

    void zeroVectorsGiveFiniteLossesAndGradients() {
        QFETCH(MarginLoss, loss);
        at::Tensor z = at::zeros({6, 4}).requires_grad_();
        at::Tensor labels = at::tensor({0, 1, 2, 0, 1, 2}, at::kLong);

        at::Tensor value = evaluate(loss, z, labels, 1.0);
        value.backward();

        QVERIFY(std::isfinite(value.item<double>()));
        QVERIFY(allFinite(z.grad()));
        if (loss == MarginLoss::Pair) {
            // Every distance is 0: each of the 24 negative pairs of 30 costs m² = 1.
            QVERIFY(std::abs(value.item<double>() - 0.5 * 24.0 / 30.0) < 1e-6);
        }
    }

    void halfPrecisionIsComputedInFp32_data() { zeroVectorsGiveFiniteLossesAndGradients_data(); }

    void halfPrecisionIsComputedInFp32() {
        QFETCH(MarginLoss, loss);
        at::manual_seed(22);
        at::Tensor z = at::randn({8, 4}).to(at::kHalf);
        at::Tensor labels = at::tensor({0, 1, 2, 3, 0, 1, 2, 3}, at::kLong);
        at::Tensor leaf = z.clone().requires_grad_();

        at::Tensor half = evaluate(loss, leaf, labels);
        at::Tensor single = evaluate(loss, z.to(at::kFloat), labels);
        half.backward();

        QCOMPARE(half.scalar_type(), at::kHalf);
        QVERIFY(std::abs(half.item<double>() - single.item<double>()) < 1e-2);
        QVERIFY(allFinite(leaf.grad()));
    }

    void negativeMarginIsAUserError_data() {
        addLossColumn();
        QTest::addColumn<double>("margin");
        QTest::addColumn<QString>("named");
        QTest::newRow("pair") << MarginLoss::Pair << -1.0 << "got -1";
        QTest::newRow("triplet") << MarginLoss::Triplet << -0.2 << "got -0.2";
        QTest::newRow("lifted") << MarginLoss::Lifted << -1e-8 << "got -1e-08";
        QTest::newRow("pair NaN") << MarginLoss::Pair << std::nan("") << "got nan";
    }

    void negativeMarginIsAUserError() {
        QFETCH(MarginLoss, loss);
        QFETCH(double, margin);
        QFETCH(QString, named);

        const std::string message = userErrorMessage([&] {
            evaluate(loss, at::ones({4, 2}), at::zeros({4}, at::kLong), margin);
        });

        QVERIFY2(QString::fromStdString(message).contains(named), message.c_str());
        QVERIFY2(QString::fromStdString(message).contains("usual"), message.c_str());
    }

    void labelsMustMatchTheBatch() {
        const std::string message = userErrorMessage([] {
            tripletMarginLoss(at::ones({4, 2}), at::zeros({3}, at::kLong));
        });

        QVERIFY2(QString::fromStdString(message).contains("one integer label per embedding"),
                 message.c_str());
    }
};

QTEST_GUILESS_MAIN(MarginLossesTest)
#include "MarginLossesTest.moc"
