// The negative-free losses — negative cosine (BYOL/SimSiam) and its symmetric form, SwAV swapped
// prediction with Sinkhorn–Knopp codes, Barlow Twins, VICReg and W-MSE — against the float64
// reference of tests/data/reference/losses_reference.py, loss and input gradients to 1e-5 in fp32
// (the stop-gradient leaves the targets without gradient); then the codes' marginals, whitening,
// degenerate batches and the user errors for impossible parameters.

#include <cmath>
#include <limits>

#include <ATen/ATen.h>
#include <QTest>

#include "LossReference.h"
#include "losses/BarlowTwinsLoss.h"
#include "losses/NegativeCosineLoss.h"
#include "losses/SinkhornKnopp.h"
#include "losses/SwavLoss.h"
#include "losses/VicRegLoss.h"
#include "losses/WMseLoss.h"

using namespace crl::losses;
using namespace crl::testing;

namespace {

const std::string kFixture = "negative_free_losses_cases.json";

enum class NegativeFreeLoss { NegativeCosine, Swav, BarlowTwins, VicReg, WMse };

at::Tensor evaluate(NegativeFreeLoss loss, const at::Tensor& a, const at::Tensor& b) {
    switch (loss) {
        case NegativeFreeLoss::NegativeCosine:
            return negativeCosineLoss(a, b);
        case NegativeFreeLoss::Swav:
            return swavLoss(a, b);
        case NegativeFreeLoss::BarlowTwins:
            return barlowTwinsLoss(a, b);
        case NegativeFreeLoss::VicReg:
            return vicRegLoss(a, b);
        case NegativeFreeLoss::WMse:
            return wMseLoss(a, b);
    }
    return {};
}

void addLossRows() {
    QTest::addColumn<NegativeFreeLoss>("loss");
    QTest::newRow("negative cosine") << NegativeFreeLoss::NegativeCosine;
    QTest::newRow("SwAV") << NegativeFreeLoss::Swav;
    QTest::newRow("Barlow Twins") << NegativeFreeLoss::BarlowTwins;
    QTest::newRow("VICReg") << NegativeFreeLoss::VicReg;
    QTest::newRow("W-MSE") << NegativeFreeLoss::WMse;
}

}  // namespace

Q_DECLARE_METATYPE(NegativeFreeLoss)

class NegativeFreeLossesTest : public QObject {
    Q_OBJECT

private slots:
    void lossesAndGradientsMatchTheReference_data() { addReferenceRows(kFixture); }

    void lossesAndGradientsMatchTheReference() {
        QFETCH(int, index);
        const ReferenceCase c = loadReferenceCase(kFixture, index);
        const std::string kind = c.entry.at("loss");

        at::Tensor loss;
        if (kind == "negative_cosine") {
            const bool stop = c.entry.at("params").at("stop_gradient");
            loss = negativeCosineLoss(c.input("predictions"), c.input("targets"), {stop});
        } else if (kind == "symmetric_negative_cosine") {
            loss = symmetricNegativeCosineLoss(c.input("predictions1"), c.input("targets1"),
                                               c.input("predictions2"), c.input("targets2"));
        } else if (kind == "swav") {
            const SwavLossOptions options{c.number("temperature"), c.number("epsilon"),
                                          static_cast<std::int64_t>(c.number("iterations"))};
            loss = swavLoss(c.input("scores1"), c.input("scores2"), options);
            at::Tensor codes =
                sinkhornKnopp(c.input("scores1"), options.epsilon, options.sinkhornIterations);
            at::Tensor expected = referenceTensor(c.entry.at("codes1"), codes.sizes());
            QVERIFY2(maxRelativeError(codes, expected) < kReferenceTolerance, "codes differ");
            QVERIFY(!codes.requires_grad());
        } else if (kind == "barlow_twins") {
            loss = barlowTwinsLoss(c.input("z1"), c.input("z2"), {c.number("lambda")});
        } else if (kind == "vicreg") {
            loss =
                vicRegLoss(c.input("z1"), c.input("z2"),
                           {c.number("invariance"), c.number("variance"), c.number("covariance")});
        } else {
            loss = wMseLoss(c.input("z1"), c.input("z2"), {c.number("shrinkage")});
        }

        verifyAgainstReference(c, loss);
    }

    void sinkhornCodesHaveEquipartitionedMarginals_data() {
        QTest::addColumn<qint64>("batch");
        QTest::addColumn<qint64>("prototypes");
        QTest::addColumn<double>("scale");
        QTest::newRow("B=16 K=4") << qint64{16} << qint64{4} << 1.0;
        QTest::newRow("B=3 K=10") << qint64{3} << qint64{10} << 1.0;
        QTest::newRow("scores of 1000") << qint64{8} << qint64{5} << 1000.0;
    }

    void sinkhornCodesHaveEquipartitionedMarginals() {
        QFETCH(qint64, batch);
        QFETCH(qint64, prototypes);
        QFETCH(double, scale);
        at::manual_seed(41);
        at::Tensor scores = scale * at::randn({batch, prototypes}, at::kDouble);

        // ε = 0.5 converges within 200 iterations; at scale 1000 only finiteness is asked for.
        at::Tensor codes = sinkhornKnopp(scores, 0.5, 200);

        // Rows sum to 1 exactly after the last scaling; columns approach B/K as iterations grow.
        QVERIFY(allFinite(codes));
        QVERIFY(at::allclose(codes.sum(1), at::ones({batch}, at::kDouble)));
        if (scale == 1.0) {
            at::Tensor columns = codes.sum(0);
            QVERIFY(at::allclose(
                columns, at::full({prototypes}, double(batch) / double(prototypes), at::kDouble),
                /*rtol=*/1e-3, /*atol=*/1e-3));
        }
    }

    void whitenedBatchesHaveIdentityCovariance() {
        at::manual_seed(42);
        at::Tensor z = at::matmul(at::randn({64, 5}, at::kDouble), at::randn({5, 5}, at::kDouble));

        at::Tensor w = whiten(z);

        at::Tensor covariance = at::matmul(w.t(), w) / 63.0;
        QVERIFY(at::allclose(covariance, at::eye(5, at::kDouble), /*rtol=*/0.0, /*atol=*/1e-8));
    }

    void singularCovarianceIsShrunkWithAWarning() {
        at::manual_seed(43);
        at::Tensor z1 = at::randn({4, 8}).requires_grad_();
        at::Tensor z2 = at::randn({4, 8});
        WarningCapture capture;

        at::Tensor loss = wMseLoss(z1, z2);
        loss.backward();

        QVERIFY(std::isfinite(loss.item<double>()));
        QVERIFY(allFinite(z1.grad()));
        QCOMPARE(capture.warnings.size(), std::size_t{2});
    }

    void stopGradientLeavesTargetsConstant() {
        at::manual_seed(44);
        at::Tensor p = at::randn({4, 3}).requires_grad_();
        at::Tensor z = at::randn({4, 3}).requires_grad_();

        negativeCosineLoss(p, z).backward();

        QVERIFY(!z.grad().defined() || at::equal(z.grad(), at::zeros_like(z)));
        QVERIFY(p.grad().abs().sum().item<double>() > 0.0);
    }

    void aBatchOfOneGivesAFiniteValue_data() {
        QTest::addColumn<NegativeFreeLoss>("loss");
        QTest::addColumn<double>("expected");
        // Identical views of one sample. Negative cosine: −1. SwAV: the codes are uniform, so the
        // cross-entropy of the softmax of (0.5, −1, 2) / 0.1 against 1/3 each. Barlow Twins: the
        // standardised batch is 0, so C = 0 and L = D = 3. VICReg: no variance, std = √1e-4 in
        // both views, 25 · 0.99. W-MSE: whitened to zero, 0.
        const double logits[] = {5.0, -10.0, 20.0};
        const double logSum = 20.0 + std::log(std::exp(-15.0) + std::exp(-30.0) + 1.0);
        const double swav = -(logits[0] + logits[1] + logits[2]) / 3.0 + logSum;
        QTest::newRow("negative cosine") << NegativeFreeLoss::NegativeCosine << -1.0;
        QTest::newRow("SwAV") << NegativeFreeLoss::Swav << swav;
        QTest::newRow("Barlow Twins") << NegativeFreeLoss::BarlowTwins << 3.0;
        QTest::newRow("VICReg") << NegativeFreeLoss::VicReg << 25.0 * 0.99;
        QTest::newRow("W-MSE") << NegativeFreeLoss::WMse << 0.0;
    }

    void aBatchOfOneGivesAFiniteValue() {
        QFETCH(NegativeFreeLoss, loss);
        QFETCH(double, expected);
        at::Tensor a = at::tensor({0.5, -1.0, 2.0}, at::kFloat).view({1, 3}).requires_grad_();
        at::Tensor b = at::tensor({0.5, -1.0, 2.0}, at::kFloat).view({1, 3}).requires_grad_();

        at::Tensor value = evaluate(loss, a, b);
        value.backward();

        QVERIFY2(
            std::abs(value.item<double>() - expected) < 1e-4,
            qPrintable(QString("loss %1, expected %2").arg(value.item<double>()).arg(expected)));
        QVERIFY(allFinite(a.grad()));
    }

    void zeroVectorsGiveFiniteLossesAndGradients_data() { addLossRows(); }

    void zeroVectorsGiveFiniteLossesAndGradients() {
        QFETCH(NegativeFreeLoss, loss);
        at::Tensor a = at::zeros({6, 3}).requires_grad_();
        at::Tensor b = at::zeros({6, 3}).requires_grad_();

        at::Tensor value = evaluate(loss, a, b);
        value.backward();

        QVERIFY(std::isfinite(value.item<double>()));
        QVERIFY(allFinite(a.grad()));
        QVERIFY(!b.grad().defined() || allFinite(b.grad()));
    }

    void halfPrecisionIsComputedInFp32_data() { addLossRows(); }

    void halfPrecisionIsComputedInFp32() {
        QFETCH(NegativeFreeLoss, loss);
        at::manual_seed(45);
        at::Tensor a = at::randn({16, 4}).to(at::kHalf);
        at::Tensor b = (a.to(at::kFloat) + 0.3 * at::randn({16, 4})).to(at::kHalf);
        at::Tensor leaf = a.clone().requires_grad_();

        at::Tensor half = evaluate(loss, leaf, b);
        at::Tensor single = evaluate(loss, a.to(at::kFloat), b.to(at::kFloat));
        half.backward();

        QCOMPARE(half.scalar_type(), at::kHalf);
        QVERIFY(std::abs(half.item<double>() - single.item<double>()) <
                1e-2 * std::max(1.0, std::abs(single.item<double>())));
        QVERIFY(allFinite(leaf.grad()));
    }

    void impossibleParametersAreUserErrors_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("named");
        QTest::newRow("SwAV temperature 0") << 0 << "SwAV temperature must be > 0 (got 0)";
        QTest::newRow("Sinkhorn epsilon negative") << 1 << "epsilon must be > 0 (got -0.05)";
        QTest::newRow("Sinkhorn no iterations") << 2 << "iterations must be >= 1 (got 0)";
        QTest::newRow("Barlow Twins negative lambda") << 3 << "got -0.1";
        QTest::newRow("VICReg negative weight") << 4 << "variance weight must be >= 0 (got -25)";
        QTest::newRow("W-MSE shrinkage 1") << 5 << "[0, 1) (got 1)";
        QTest::newRow("shape mismatch") << 6 << "same shape";
    }

    void impossibleParametersAreUserErrors() {
        QFETCH(int, which);
        QFETCH(QString, named);
        at::Tensor a = at::randn({6, 4});

        const std::string message = userErrorMessage([&] {
            switch (which) {
                case 0:
                    swavLoss(a, a, {0.0, 0.05, 3});
                    break;
                case 1:
                    sinkhornKnopp(a, -0.05, 3);
                    break;
                case 2:
                    sinkhornKnopp(a, 0.05, 0);
                    break;
                case 3:
                    barlowTwinsLoss(a, a, {-0.1});
                    break;
                case 4:
                    vicRegLoss(a, a, {25.0, -25.0, 1.0});
                    break;
                case 5:
                    wMseLoss(a, a, {1.0});
                    break;
                default:
                    negativeCosineLoss(a, at::randn({6, 5}));
            }
        });

        QVERIFY2(QString::fromStdString(message).contains(named), message.c_str());
    }
};

QTEST_GUILESS_MAIN(NegativeFreeLossesTest)
#include "NegativeFreeLossesTest.moc"
