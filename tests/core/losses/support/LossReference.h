#pragma once
// Reading the reference fixtures of tests/data/reference/losses_reference.py and checking a loss
// against one: inputs as fp32 leaves, the C++ loss evaluated by the test, then the value and the
// autograd gradient of every input compared with the float64 reference to 1e-5 (relative above 1).

#include <cmath>
#include <fstream>
#include <map>
#include <string>

#include <ATen/ATen.h>
#include <QTest>
#include <nlohmann/json.hpp>

#include "common/Error.h"
#include "common/Log.h"
#include "losses/BilinearScore.h"
#include "losses/ScoringFunction.h"

namespace crl::testing {

constexpr double kReferenceTolerance = 1e-5;

inline nlohmann::json loadReferenceCases(const std::string& file) {
    std::ifstream stream(std::string(CRL_TEST_DATA_DIR) + "/reference/" + file);
    if (!stream) {
        throw std::runtime_error("missing fixture " + file + "; run losses_reference.py");
    }
    return nlohmann::json::parse(stream).at("cases");
}

/// One "index" column, a row per fixture case named after it.
inline void addReferenceRows(const std::string& file) {
    QTest::addColumn<int>("index");
    const nlohmann::json cases = loadReferenceCases(file);
    QVERIFY(!cases.empty());
    for (std::size_t i = 0; i < cases.size(); ++i) {
        QTest::newRow(cases[i].at("name").get<std::string>().c_str()) << static_cast<int>(i);
    }
}

/// A list of numbers from the fixture as a float64 tensor of the given shape.
inline at::Tensor referenceTensor(const nlohmann::json& values, at::IntArrayRef shape) {
    return at::tensor(values.get<std::vector<double>>(), at::kDouble).view(shape);
}

struct ReferenceCase {
    nlohmann::json entry;
    /// fp32 leaves requiring grad, by input name.
    std::map<std::string, at::Tensor> inputs;
    /// (N,) int64 when the case has labels.
    at::Tensor labels;

    const at::Tensor& input(const std::string& name) const { return inputs.at(name); }
    bool has(const std::string& name) const { return inputs.count(name) > 0; }
    double number(const std::string& name) const { return entry.at("params").at(name); }
    std::string text(const std::string& name) const { return entry.at("params").at(name); }
};

inline ReferenceCase loadReferenceCase(const std::string& file, int index) {
    ReferenceCase c{loadReferenceCases(file).at(index), {}, {}};
    for (const auto& [name, value] : c.entry.at("inputs").items()) {
        const auto shape = value.at("shape").get<std::vector<std::int64_t>>();
        c.inputs[name] = referenceTensor(value.at("values"), shape).to(at::kFloat).requires_grad_();
    }
    if (c.entry.contains("labels")) {
        c.labels = at::tensor(c.entry.at("labels").get<std::vector<std::int64_t>>(), at::kLong);
    }
    return c;
}

/// The case's scoring function by its "score" parameter. For "bilinear", a BilinearScore module
/// started at the case's "weight" input, which the module's own W then replaces so that the
/// gradient compared is the one the module receives.
inline crl::losses::Score referenceScore(ReferenceCase& c) {
    const std::string name = c.text("score");
    if (name != "bilinear") {
        return crl::losses::makeScore(name);
    }
    const at::Tensor& weight = c.input("weight");
    crl::losses::BilinearScore bilinear(
        crl::losses::BilinearScoreOptions(weight.size(0), weight.size(1)));
    {
        at::NoGradGuard noGrad;
        bilinear->weight.copy_(weight);
    }
    c.inputs["weight"] = bilinear->weight;
    std::shared_ptr<crl::losses::BilinearScoreImpl> impl = bilinear.ptr();
    return [impl](const at::Tensor& queries, const at::Tensor& keys) {
        return impl->forward(queries, keys);
    };
}

inline double maxRelativeError(const at::Tensor& actual, const at::Tensor& expected) {
    at::Tensor scale = expected.abs().clamp_min(1.0);
    return ((actual.to(at::kDouble) - expected) / scale).abs().max().item<double>();
}

/// Backpropagates loss and compares it and every input gradient with the reference.
inline void verifyAgainstReference(const ReferenceCase& c, const at::Tensor& loss) {
    QCOMPARE(loss.dim(), 0);
    QCOMPARE(loss.scalar_type(), at::kFloat);
    loss.backward();

    const double expected = c.entry.at("expected");
    const double value = loss.item<double>();
    QVERIFY2(
        std::abs(value - expected) <= kReferenceTolerance * std::max(1.0, std::abs(expected)),
        qPrintable(
            QString("loss %1, reference %2").arg(value, 0, 'g', 10).arg(expected, 0, 'g', 10)));
    for (const auto& [name, leaf] : c.inputs) {
        at::Tensor expectedGrad = referenceTensor(c.entry.at("grads").at(name), leaf.sizes());
        at::Tensor grad = leaf.grad().defined() ? leaf.grad() : at::zeros_like(leaf);
        const double error = maxRelativeError(grad, expectedGrad);
        QVERIFY2(
            error <= kReferenceTolerance,
            qPrintable(QString("dL/d%1 off by %2").arg(QString::fromStdString(name)).arg(error)));
    }
}

/// The message of the UserError that f throws, or "" when it throws none.
template <typename F>
std::string userErrorMessage(F&& f) {
    try {
        f();
    } catch (const crl::UserError& error) {
        return error.what();
    }
    return {};
}

/// True when the tensor has no NaN or infinity.
inline bool allFinite(const at::Tensor& x) {
    return at::isfinite(x).all().item<bool>();
}

/// Collects the warnings core/ logs while alive; restores "no sink" when destroyed.
class WarningCapture {
public:
    WarningCapture() {
        crl::setLogSink([this](crl::LogLevel level, const std::string& message) {
            if (level == crl::LogLevel::Warning) {
                warnings.push_back(message);
            }
        });
    }
    ~WarningCapture() { crl::setLogSink({}); }
    WarningCapture(const WarningCapture&) = delete;
    WarningCapture& operator=(const WarningCapture&) = delete;

    std::vector<std::string> warnings;
};

}  // namespace crl::testing
