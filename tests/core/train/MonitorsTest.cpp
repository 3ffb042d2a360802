// The alignment, uniformity and collapse monitors (Wang & Isola 2020): their defining zeros
// (identical pairs, a collapsed batch), invariance to the embeddings' norms, and values for fixed
// inputs computed in float64 by tests/data/reference/nt_xent_reference.py.

#include <cmath>
#include <fstream>

#include <ATen/ATen.h>
#include <QTest>
#include <nlohmann/json.hpp>

#include "train/Monitors.h"

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

constexpr double kTolerance = 1e-6;

#define QVERIFY_NEAR(actual, expected)                     \
    QVERIFY2(std::abs((actual) - (expected)) < kTolerance, \
             qPrintable(QString("%1 = %2, expected %3")    \
                            .arg(#actual)                  \
                            .arg(actual, 0, 'g', 12)       \
                            .arg(expected, 0, 'g', 12)))

}  // namespace

class MonitorsTest : public QObject {
    Q_OBJECT

private slots:
    void identicalPairsHaveZeroAlignment_data() {
        QTest::addColumn<qint64>("n");
        QTest::addColumn<qint64>("d");
        QTest::newRow("N=2 d=3") << qint64{2} << qint64{3};
        QTest::newRow("N=16 d=128") << qint64{16} << qint64{128};
    }

    void identicalPairsHaveZeroAlignment() {
        QFETCH(qint64, n);
        QFETCH(qint64, d);
        at::manual_seed(1);
        at::Tensor z = at::randn({n, d});

        QVERIFY_NEAR(crl::train::alignment(z, z.clone()), 0.0);
        QVERIFY_NEAR(crl::train::alignment(z, z.clone(), /*alpha=*/1.0), 0.0);
    }

    void collapsedBatchHasZeroUniformityAndCollapse_data() {
        QTest::addColumn<qint64>("n");
        QTest::newRow("N=2") << qint64{2};
        QTest::newRow("N=9") << qint64{9};
        QTest::newRow("N=64") << qint64{64};
    }

    void collapsedBatchHasZeroUniformityAndCollapse() {
        QFETCH(qint64, n);
        // Every row points the same way; the norms differ, which normalisation removes.
        at::Tensor direction = at::tensor({0.5, -2.0, 1.0, 0.25}, at::kFloat);
        at::Tensor z = direction.repeat({n, 1}) *
                       at::arange(1, static_cast<std::int64_t>(n) + 1, at::kFloat).unsqueeze(1);

        QVERIFY_NEAR(crl::train::uniformity(z), 0.0);
        QVERIFY_NEAR(crl::train::collapseIndicator(z), 0.0);
    }

    void valuesMatchTheReference_data() {
        QTest::addColumn<int>("index");
        const json cases = loadFixture("monitors_cases.json").at("cases");
        QVERIFY(!cases.empty());
        for (std::size_t i = 0; i < cases.size(); ++i) {
            QTest::newRow(cases[i].at("name").get<std::string>().c_str()) << static_cast<int>(i);
        }
    }

    void valuesMatchTheReference() {
        QFETCH(int, index);
        const json entry = loadFixture("monitors_cases.json").at("cases").at(index);
        const auto n = entry.at("n").get<std::int64_t>();
        const auto d = entry.at("d").get<std::int64_t>();
        at::Tensor zQuery = matrix(entry.at("z_query"), n, d);
        at::Tensor zKey = matrix(entry.at("z_key"), n, d);

        QVERIFY_NEAR(crl::train::alignment(zQuery, zKey), entry.at("alignment").get<double>());
        QVERIFY_NEAR(crl::train::alignment(zQuery, zKey, /*alpha=*/1.0),
                     entry.at("alignment_alpha1").get<double>());
        QVERIFY_NEAR(crl::train::uniformity(zQuery), entry.at("uniformity").get<double>());
        QVERIFY_NEAR(crl::train::uniformity(zQuery, /*t=*/1.0),
                     entry.at("uniformity_t1").get<double>());
        QVERIFY_NEAR(crl::train::collapseIndicator(zQuery), entry.at("collapse").get<double>());
    }

    void monitorsIgnoreTheEmbeddingsScale_data() {
        QTest::addColumn<double>("scale");
        QTest::newRow("x0.001") << 1e-3;
        QTest::newRow("x3") << 3.0;
        QTest::newRow("x1000") << 1e3;
    }

    void monitorsIgnoreTheEmbeddingsScale() {
        QFETCH(double, scale);
        at::manual_seed(2);
        at::Tensor zQuery = at::randn({8, 5}, at::kDouble);
        at::Tensor zKey = at::randn({8, 5}, at::kDouble);

        QVERIFY_NEAR(crl::train::alignment(zQuery * scale, zKey * scale),
                     crl::train::alignment(zQuery, zKey));
        // Each row on its own scale: normalisation is per embedding, not per batch.
        at::Tensor rowScales = at::linspace(0.1, 10.0, 8, at::kDouble).unsqueeze(1) * scale;
        QVERIFY_NEAR(crl::train::alignment(zQuery * rowScales, zKey),
                     crl::train::alignment(zQuery, zKey));
        QVERIFY_NEAR(crl::train::uniformity(zQuery * rowScales), crl::train::uniformity(zQuery));
        QVERIFY_NEAR(crl::train::collapseIndicator(zQuery * rowScales),
                     crl::train::collapseIndicator(zQuery));
    }
};

QTEST_GUILESS_MAIN(MonitorsTest)
#include "MonitorsTest.moc"
