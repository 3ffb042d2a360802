// The momentum (EMA) key copy of models/MomentumEncoder.h on a tiny module (Linear(3, 2) and
// BatchNorm1d(2)): after each of a few optimiser steps its parameters equal the reference
// computation of tests/data/reference/momentum_reference.py, the schedule τ(k) rises from τ₀ to 1
// as the formula says, the copy's running statistics are left alone, and the copy is a constant
// for autograd.

#include <QtTest>

#include <fstream>

#include <ATen/ATen.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/utils.h>
#include <nlohmann/json.hpp>

#include "models/MomentumEncoder.h"

using namespace crl::models;

namespace {

nlohmann::json referenceCases() {
    std::ifstream stream(std::string(CRL_TEST_DATA_DIR) + "/reference/momentum_cases.json");
    if (!stream) {
        throw std::runtime_error("missing fixture momentum_cases.json; run momentum_reference.py");
    }
    return nlohmann::json::parse(stream).at("cases");
}

torch::nn::Sequential tinyModule() {
    return torch::nn::Sequential(torch::nn::Linear(3, 2), torch::nn::BatchNorm1d(2));
}

// Writes a flat list of numbers into the module's parameters, in registration order.
void setParameters(torch::nn::Module& module, const std::vector<double>& values) {
    torch::NoGradGuard noGrad;
    at::Tensor flat = at::tensor(values, at::kDouble).to(at::kFloat);
    std::int64_t offset = 0;
    for (at::Tensor& p : module.parameters()) {
        p.copy_(flat.narrow(0, offset, p.numel()).view(p.sizes()));
        offset += p.numel();
    }
    QCOMPARE(offset, flat.numel());
}

at::Tensor flatParameters(const torch::nn::Module& module) {
    std::vector<at::Tensor> parts;
    for (const at::Tensor& p : module.parameters()) {
        parts.push_back(p.detach().flatten());
    }
    return at::cat(parts).to(at::kDouble);
}

}  // namespace

class MomentumEncoderTest : public QObject {
    Q_OBJECT

private slots:
    void keyCopyFollowsTheReferenceAverage_data() {
        QTest::addColumn<int>("index");
        const nlohmann::json cases = referenceCases();
        for (std::size_t i = 0; i < cases.size(); ++i) {
            QTest::newRow(cases[i].at("name").get<std::string>().c_str()) << static_cast<int>(i);
        }
    }

    void keyCopyFollowsTheReferenceAverage() {
        QFETCH(int, index);
        const nlohmann::json c = referenceCases().at(static_cast<std::size_t>(index));
        const double base = c.at("base").get<double>();
        const std::int64_t total = c.at("total_steps").get<std::int64_t>();
        torch::nn::Sequential online = tinyModule();
        setParameters(*online, c.at("initial").get<std::vector<double>>());
        std::shared_ptr<torch::nn::Module> key = online->clone();
        freezeKeyCopy(*key);
        std::vector<at::Tensor> buffersBefore;
        for (const at::Tensor& b : key->buffers()) {
            buffersBefore.push_back(b.clone());
        }

        std::int64_t step = 0;
        for (const nlohmann::json& s : c.at("steps")) {
            setParameters(*online, s.at("online").get<std::vector<double>>());
            const double tau = momentumAt(base, step, total);
            QVERIFY2(std::abs(tau - s.at("tau").get<double>()) < 1e-15,
                     qPrintable(QString("step %1: tau %2").arg(step).arg(tau, 0, 'g', 17)));

            momentumUpdate(*key, *online, tau);

            const at::Tensor expected = at::tensor(s.at("key").get<std::vector<double>>());
            const double error = (flatParameters(*key) - expected).abs().max().item<double>();
            QVERIFY2(error < 1e-6,
                     qPrintable(QString("step %1: max error %2").arg(step).arg(error)));
            ++step;
        }

        // Running statistics are the copy's own; the update does not average them.
        const std::vector<at::Tensor> buffersAfter = key->buffers();
        for (std::size_t i = 0; i < buffersAfter.size(); ++i) {
            QVERIFY(buffersAfter[i].equal(buffersBefore[i]));
        }
    }

    void scheduleRisesFromTheBaseMomentumToOne() {
        QCOMPARE(momentumAt(0.99, 0, 100), 0.99);
        QVERIFY(std::abs(momentumAt(0.99, 50, 100) - 0.995) < 1e-15);
        QCOMPARE(momentumAt(0.99, 100, 100), 1.0);
        QCOMPARE(momentumAt(0.9, 7, 0), 0.9);  // no planned length: the base momentum
        double previous = 0.0;
        for (std::int64_t k = 0; k <= 20; ++k) {
            const double tau = momentumAt(0.8, k, 20);
            QVERIFY(tau >= previous);
            previous = tau;
        }
    }

    void keyCopyIsAConstantForAutograd() {
        torch::nn::Sequential online = tinyModule();
        std::shared_ptr<torch::nn::Module> key = online->clone();
        freezeKeyCopy(*key);
        for (const at::Tensor& p : key->parameters()) {
            QVERIFY(!p.requires_grad());
        }
        for (const at::Tensor& p : online->parameters()) {
            QVERIFY(p.requires_grad());
        }
        // Clone means copy: moving the online module leaves the key where it was.
        {
            torch::NoGradGuard noGrad;
            online->parameters()[0].add_(1.0);
        }
        QVERIFY(!online->parameters()[0].equal(key->parameters()[0]));
    }
};

QTEST_GUILESS_MAIN(MomentumEncoderTest)
#include "MomentumEncoderTest.moc"
