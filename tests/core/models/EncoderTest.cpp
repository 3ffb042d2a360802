// Encoders and the projection head: output shapes for 28 and 32 px inputs of 1 and 3 channels,
// and the ResNet-18 parameter count against the published CIFAR-style ResNet-18 (11,173,962
// parameters with its 512 -> 10 classifier, i.e. 11,168,832 without it).

#include <QtTest>

#include <torch/nn.h>

#include "models/ProjectionHead.h"
#include "models/ResNetEncoder.h"
#include "models/SmallCnnEncoder.h"

using namespace crl::models;

namespace {

std::int64_t parameterCount(torch::nn::Module& module) {
    std::int64_t count = 0;
    for (const at::Tensor& p : module.parameters()) {
        count += p.numel();
    }
    return count;
}

}  // namespace

class EncoderTest : public QObject {
    Q_OBJECT

private slots:
    void smallCnnShapes_data() {
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("width");
        QTest::newRow("gray 28 px, w16") << 1 << 28 << 16;
        QTest::newRow("rgb 32 px, w8") << 3 << 32 << 8;
        QTest::newRow("gray 9 px, w4") << 1 << 9 << 4;
    }

    void smallCnnShapes() {
        QFETCH(int, channels);
        QFETCH(int, size);
        QFETCH(int, width);
        SmallCnnEncoder encoder(SmallCnnEncoderOptions(channels).width(width));
        at::Tensor v = encoder->forward(at::rand({5, channels, size, size}));
        QCOMPARE(v.size(0), 5);
        QCOMPARE(v.size(1), 8 * width);
        QCOMPARE(encoder->outputDim(), 8 * width);
    }

    void resnetShapesAndParameterCount() {
        ResNetEncoder resnet18(ResNetEncoderOptions(3).depth(18).width(64));
        QCOMPARE(parameterCount(*resnet18), std::int64_t(11168832));
        resnet18->eval();
        at::Tensor v = resnet18->forward(at::rand({2, 3, 32, 32}));
        QCOMPARE(v.sizes().vec(), std::vector<std::int64_t>({2, 512}));

        ResNetEncoder resnet34(ResNetEncoderOptions(1).depth(34).width(8));
        resnet34->eval();
        QCOMPARE(resnet34->forward(at::rand({2, 1, 28, 28})).size(1), 64);
    }

    void resnetRejectsOtherDepths() {
        QVERIFY_THROWS_EXCEPTION(std::exception, ResNetEncoder(ResNetEncoderOptions(1).depth(50)));
    }

    void projectionHeadLayers() {
        ProjectionHead linear(ProjectionHeadOptions(128).layers(1).out_dim(32));
        QCOMPARE(parameterCount(*linear), std::int64_t(128 * 32 + 32));
        ProjectionHead mlp(ProjectionHeadOptions(128).layers(2).hidden_dim(64).out_dim(16));
        // Linear without bias (BN follows) + BN (2 x 64) + Linear with bias.
        QCOMPARE(parameterCount(*mlp), std::int64_t(128 * 64 + 2 * 64 + 64 * 16 + 16));
        QCOMPARE(mlp->forward(at::rand({4, 128})).sizes().vec(),
                 std::vector<std::int64_t>({4, 16}));
    }
};

QTEST_GUILESS_MAIN(EncoderTest)
#include "EncoderTest.moc"
