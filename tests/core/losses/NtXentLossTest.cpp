// NT-Xent and the cosine score against an independent reference: losses and gradients computed
// in float64 by tests/data/reference/nt_xent_reference.py (PyTorch autograd, checked against
// the analytic gradient), then the closed form ln(2N − 1) for identical embeddings, a short last
// batch, zero vectors, and the user errors for an impossible batch or temperature.

#include <cmath>
#include <fstream>
#include <limits>

#include <ATen/ATen.h>
#include <QTest>
#include <nlohmann/json.hpp>

#include "common/Error.h"
#include "losses/CosineScore.h"
#include "losses/NtXentLoss.h"

using crl::UserError;
using crl::losses::NtXentLossOptions;
using nlohmann::json;

namespace {

json loadFixture(const std::string& name) {
    std::ifstream stream(std::string(CRL_TEST_DATA_DIR) + "/reference/" + name);
    if (!stream) {
        throw std::runtime_error("missing fixture " + name + "; run nt_xent_reference.py");
    }
    return json::parse(stream);
}

/// A row-major list of numbers from the fixture as a float64 (rows, cols) tensor.
at::Tensor matrix(const json& values, std::int64_t rows, std::int64_t cols) {
    std::vector<double> flat = values.get<std::vector<double>>();
    return at::tensor(flat, at::kDouble).view({rows, cols});
}

double maxAbsDifference(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

std::string errorMessage(const at::Tensor& zQuery, const at::Tensor& zKey, double temperature) {
    try {
        crl::losses::ntXentLoss(zQuery, zKey, NtXentLossOptions{temperature});
    } catch (const UserError& error) {
        return error.what();
    }
    return {};
}

constexpr double kTolerance = 1e-5;

}  // namespace

class NtXentLossTest : public QObject {
    Q_OBJECT

private slots:
    void lossAndGradientsMatchTheReference_data() {
        QTest::addColumn<int>("index");
        const json cases = loadFixture("nt_xent_cases.json").at("cases");
        QVERIFY(!cases.empty());
        for (std::size_t i = 0; i < cases.size(); ++i) {
            QTest::newRow(cases[i].at("name").get<std::string>().c_str()) << static_cast<int>(i);
        }
    }

    void lossAndGradientsMatchTheReference() {
        QFETCH(int, index);
        const json entry = loadFixture("nt_xent_cases.json").at("cases").at(index);
        const auto n = entry.at("n").get<std::int64_t>();
        const auto d = entry.at("d").get<std::int64_t>();

        at::Tensor zQuery = matrix(entry.at("z_query"), n, d).requires_grad_();
        at::Tensor zKey = matrix(entry.at("z_key"), n, d).requires_grad_();
        at::Tensor loss = crl::losses::ntXentLoss(
            zQuery, zKey, NtXentLossOptions{entry.at("temperature").get<double>()});
        loss.backward();

        QCOMPARE(loss.dim(), 0);
        const double expected = entry.at("loss").get<double>();
        QVERIFY2(
            std::abs(loss.item<double>() - expected) < kTolerance,
            qPrintable(QString("loss %1, reference %2").arg(loss.item<double>()).arg(expected)));
        const double queryError =
            maxAbsDifference(zQuery.grad(), matrix(entry.at("grad_query"), n, d));
        const double keyError = maxAbsDifference(zKey.grad(), matrix(entry.at("grad_key"), n, d));
        QVERIFY2(queryError < kTolerance,
                 qPrintable(QString("dL/dzQuery off by %1").arg(queryError)));
        QVERIFY2(keyError < kTolerance, qPrintable(QString("dL/dzKey off by %1").arg(keyError)));
    }

    void identicalEmbeddingsGiveLogOfTwoNMinusOne_data() {
        QTest::addColumn<qint64>("n");
        QTest::addColumn<double>("temperature");
        for (qint64 n : {2, 3, 8, 33}) {
            for (double temperature : {0.05, 0.2, 1.0, 5.0}) {
                QTest::addRow("N=%lld tau=%g", static_cast<long long>(n), temperature)
                    << n << temperature;
            }
        }
    }

    void identicalEmbeddingsGiveLogOfTwoNMinusOne() {
        QFETCH(qint64, n);
        QFETCH(double, temperature);

        // Every row is the same vector: all scores are equal, the softmax is uniform.
        at::Tensor z = at::tensor({0.3, -1.2, 0.7, 2.0}, at::kFloat).repeat({n, 1});
        at::Tensor loss = crl::losses::ntXentLoss(z, z.clone(), NtXentLossOptions{temperature});

        QVERIFY(std::abs(loss.item<double>() - std::log(2.0 * n - 1.0)) < kTolerance);
    }

    void shortLastBatchTakesNFromTheBatch() {
        const NtXentLossOptions options{0.2};
        at::Tensor full = at::ones({8, 16});
        at::Tensor last = at::ones({3, 16});

        at::Tensor fullLoss = crl::losses::ntXentLoss(full, full, options);
        at::Tensor lastLoss = crl::losses::ntXentLoss(last, last, options);

        QVERIFY(std::abs(fullLoss.item<double>() - std::log(15.0)) < kTolerance);
        QVERIFY(std::abs(lastLoss.item<double>() - std::log(5.0)) < kTolerance);
    }

    void shortLastBatchOfRandomEmbeddingsHasFiniteGradients() {
        at::manual_seed(3);
        at::Tensor zQuery = at::randn({3, 16}).requires_grad_();
        at::Tensor zKey = at::randn({3, 16}).requires_grad_();

        at::Tensor loss = crl::losses::ntXentLoss(zQuery, zKey, NtXentLossOptions{0.1});
        loss.backward();

        QVERIFY(std::isfinite(loss.item<double>()));
        QVERIFY(at::isfinite(zQuery.grad()).all().item<bool>());
        QVERIFY(at::isfinite(zKey.grad()).all().item<bool>());
    }

    void fewerThanTwoSamplesIsAUserError_data() {
        QTest::addColumn<qint64>("queries");
        QTest::addColumn<qint64>("keys");
        QTest::addColumn<QString>("named");
        QTest::newRow("one sample") << qint64{1} << qint64{1} << "got 1 queries";
        QTest::newRow("empty batch") << qint64{0} << qint64{0} << "got 0 queries";
        QTest::newRow("keys missing") << qint64{4} << qint64{3} << "3 keys";
    }

    void fewerThanTwoSamplesIsAUserError() {
        QFETCH(qint64, queries);
        QFETCH(qint64, keys);
        QFETCH(QString, named);

        const std::string message = errorMessage(at::ones({queries, 4}), at::ones({keys, 4}), 0.2);

        QVERIFY2(!message.empty(), "no UserError thrown");
        QVERIFY2(QString::fromStdString(message).contains(named), message.c_str());
    }

    void nonPositiveTemperatureIsAUserError_data() {
        QTest::addColumn<double>("temperature");
        QTest::addColumn<QString>("named");
        QTest::newRow("zero") << 0.0 << "got 0";
        QTest::newRow("negative") << -0.5 << "got -0.5";
        QTest::newRow("tiny negative") << -1e-8 << "got -1e-08";
        QTest::newRow("NaN") << std::numeric_limits<double>::quiet_NaN() << "got nan";
    }

    void nonPositiveTemperatureIsAUserError() {
        QFETCH(double, temperature);
        QFETCH(QString, named);

        const std::string message = errorMessage(at::ones({4, 3}), at::ones({4, 3}), temperature);

        QVERIFY2(!message.empty(), "no UserError thrown");
        QVERIFY2(QString::fromStdString(message).contains(named), message.c_str());
    }

    void zeroVectorsGiveAFiniteLossAndGradient_data() {
        QTest::addColumn<bool>("allZero");
        QTest::newRow("all embeddings zero") << true;
        QTest::newRow("one zero query among random") << false;
    }

    void zeroVectorsGiveAFiniteLossAndGradient() {
        QFETCH(bool, allZero);
        at::manual_seed(5);
        at::Tensor zQuery = allZero ? at::zeros({4, 8}) : at::randn({4, 8});
        at::Tensor zKey = allZero ? at::zeros({4, 8}) : at::randn({4, 8});
        zQuery[1].zero_();
        zQuery.requires_grad_();
        zKey.requires_grad_();

        at::Tensor loss = crl::losses::ntXentLoss(zQuery, zKey, NtXentLossOptions{0.1});
        loss.backward();

        QVERIFY(std::isfinite(loss.item<double>()));
        QVERIFY(at::isfinite(zQuery.grad()).all().item<bool>());
        QVERIFY(at::isfinite(zKey.grad()).all().item<bool>());
        if (allZero) {
            // Zero vectors score 0 with everything: again a uniform softmax over 2N − 1 keys.
            QVERIFY(std::abs(loss.item<double>() - std::log(7.0)) < kTolerance);
        }
    }

    void cosineScoresIgnoreNormsAndScoreZeroVectorsZero() {
        at::Tensor queries = at::tensor({3.0, 4.0, 0.0, 0.0, 0.0, 0.0}, at::kDouble).view({3, 2});
        at::Tensor keys = at::tensor({1.0, 0.0, 0.0, -2.0}, at::kDouble).view({2, 2});

        // scores: (3, 2)
        at::Tensor scores = crl::losses::cosineScores(queries, keys);
        at::Tensor expected = at::tensor({0.6, -0.8, 0.0, 0.0, 0.0, 0.0}, at::kDouble).view({3, 2});

        QCOMPARE(scores.sizes().vec(), (std::vector<std::int64_t>{3, 2}));
        QVERIFY(at::allclose(scores, expected, /*rtol=*/0.0, /*atol=*/1e-12));
        QVERIFY(at::allclose(crl::losses::cosineScores(queries * 7.5, keys * 0.01), expected,
                             /*rtol=*/0.0, /*atol=*/1e-12));
    }

    void l2NormalizeGivesUnitRowsAndKeepsZeroRowsZero() {
        at::Tensor x = at::tensor({3.0, 4.0, 0.0, 0.0, -1e-3, 0.0}, at::kDouble).view({3, 2});

        at::Tensor unit = crl::losses::l2Normalize(x);

        QVERIFY(at::allclose(unit,
                             at::tensor({0.6, 0.8, 0.0, 0.0, -1.0, 0.0}, at::kDouble).view({3, 2}),
                             /*rtol=*/0.0, /*atol=*/1e-12));
    }
};

QTEST_GUILESS_MAIN(NtXentLossTest)
#include "NtXentLossTest.moc"
