// The linear probe and the kNN monitor against scikit-learn: LogisticRegression and
// KNeighborsClassifier results on a fixed overlapping data set, computed once by
// tests/data/reference/linear_probe_reference.py; then separable blobs that any linear probe
// must classify perfectly, the confusion matrix's layout, and the user errors.

#include <cmath>
#include <fstream>

#include <ATen/ATen.h>
#include <QTest>
#include <nlohmann/json.hpp>

#include "analysis/ConfusionMatrix.h"
#include "analysis/KnnClassifier.h"
#include "analysis/LinearProbe.h"
#include "common/Error.h"

using crl::analysis::LinearProbeOptions;
using nlohmann::json;

namespace {

json loadFixture() {
    std::ifstream stream(std::string(CRL_TEST_DATA_DIR) + "/reference/linear_probe_cases.json");
    if (!stream) {
        throw std::runtime_error("missing fixture; run linear_probe_reference.py");
    }
    return json::parse(stream);
}

at::Tensor matrix(const json& values, std::int64_t cols) {
    std::vector<double> flat = values.get<std::vector<double>>();
    return at::tensor(flat, at::kDouble).view({-1, cols});
}

at::Tensor labels(const json& values) {
    return at::tensor(values.get<std::vector<std::int64_t>>(), at::kLong);
}

/// Three Gaussian blobs (std 1) whose centres lie 20 apart: linearly separable in practice.
struct Blobs {
    at::Tensor features;
    at::Tensor labels;
};

Blobs blobs(std::int64_t perClass, std::uint64_t seed) {
    at::manual_seed(seed);
    at::Tensor centres = at::tensor({0.0, 0.0, 20.0, 0.0, 0.0, 20.0}, at::kDouble).view({3, 2});
    at::Tensor classes = at::arange(3, at::kLong).repeat_interleave(perClass);
    at::Tensor points =
        centres.index_select(0, classes) + at::randn({3 * perClass, 2}, at::kDouble);
    return {points, classes};
}

}  // namespace

class LinearProbeTest : public QObject {
    Q_OBJECT

private slots:
    void separableBlobsAreClassifiedPerfectly() {
        Blobs train = blobs(50, 1);
        Blobs test = blobs(30, 2);

        auto result =
            crl::analysis::linearProbe(train.features, train.labels, test.features, test.labels, 3);

        QCOMPARE(result.top1, 1.0);
        at::Tensor expected = at::diag(at::full({3}, 30, at::kLong));
        QVERIFY(result.confusion.equal(expected));
        for (double accuracy : result.perClassAccuracy) {
            QCOMPARE(accuracy, 1.0);
        }
    }

    void probeMatchesScikitLearnLogisticRegression() {
        json fixture = loadFixture();
        const std::int64_t dims = fixture["dims"];
        at::Tensor expectedPredictions = labels(fixture["probe_predictions"]);

        auto result = crl::analysis::linearProbe(
            matrix(fixture["train_features"], dims), labels(fixture["train_labels"]),
            matrix(fixture["test_features"], dims), labels(fixture["test_labels"]),
            fixture["classes"], LinearProbeOptions{fixture["weight_decay"].get<double>()});

        const double expectedTop1 = fixture["probe_top1"];
        qInfo("probe top-1 %.4f, scikit-learn %.4f", result.top1, expectedTop1);
        QCOMPARE(result.top1, expectedTop1);
        std::int64_t disagreements =
            result.predictions.ne(expectedPredictions).sum().item<std::int64_t>();
        QVERIFY2(disagreements <= 1, qPrintable(QString::number(disagreements)));
        // The optimum is unique (strictly convex in W), so the weights agree too, to within where
        // scikit-learn's L-BFGS stops (its ftol; a gradient of about 2e-6 on this data).
        at::Tensor coef = matrix(fixture["probe_coef"], dims);
        double coefError = (result.weight - coef).abs().max().item<double>();
        qInfo("%lld prediction(s) differ, largest weight difference %.2e",
              static_cast<long long>(disagreements), coefError);
        QVERIFY2(coefError < 1e-4, qPrintable(QString::number(coefError)));
    }

    void knnMatchesScikitLearnKNeighbors() {
        json fixture = loadFixture();
        const std::int64_t dims = fixture["dims"];
        crl::analysis::KnnOptions options;
        options.k = fixture["knn_k"];
        options.temperature = fixture["knn_temperature"];

        at::Tensor predicted = crl::analysis::knnPredict(
            matrix(fixture["train_features"], dims), labels(fixture["train_labels"]),
            matrix(fixture["test_features"], dims), fixture["classes"], options);

        at::Tensor expected = labels(fixture["knn_predictions"]);
        std::int64_t disagreements = predicted.ne(expected).sum().item<std::int64_t>();
        qInfo("kNN: %lld prediction(s) differ", static_cast<long long>(disagreements));
        QVERIFY2(disagreements <= 1, qPrintable(QString::number(disagreements)));
        at::Tensor confusion = crl::analysis::confusionMatrix(
            predicted, labels(fixture["test_labels"]), fixture["classes"]);
        if (disagreements == 0) {
            QCOMPARE(crl::analysis::top1Accuracy(confusion), fixture["knn_top1"].get<double>());
        }
    }

    void confusionRowsAreTrueClassesAndColumnsPredicted() {
        at::Tensor truth = at::tensor({0, 0, 1, 2}, at::kLong);
        at::Tensor predicted = at::tensor({0, 1, 1, 1}, at::kLong);

        at::Tensor confusion = crl::analysis::confusionMatrix(predicted, truth, 4);

        at::Tensor expected =
            at::tensor({1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}, at::kLong).view({4, 4});
        QVERIFY(confusion.equal(expected));
        std::vector<double> perClass = crl::analysis::perClassAccuracy(confusion);
        QCOMPARE(perClass[0], 0.5);
        QCOMPARE(perClass[1], 1.0);
        QCOMPARE(perClass[2], 0.0);
        QVERIFY(std::isnan(perClass[3]));
        QCOMPARE(crl::analysis::top1Accuracy(confusion), 0.5);
    }

    void mismatchedDimensionsAreAUserError() {
        Blobs train = blobs(5, 1);
        QVERIFY_THROWS_EXCEPTION(
            crl::UserError,
            crl::analysis::linearProbe(train.features, train.labels, at::zeros({4, 3}, at::kDouble),
                                       at::zeros({4}, at::kLong), 3));
        QVERIFY_THROWS_EXCEPTION(crl::UserError,
                                 crl::analysis::linearProbe(train.features, train.labels + 5,
                                                            train.features, train.labels, 3));
    }
};

QTEST_GUILESS_MAIN(LinearProbeTest)
#include "LinearProbeTest.moc"
