// The batched view transforms and the augmentation chain: shapes, dtype and range of the views,
// reproducibility from a seed, transforms that must be the identity (probability 0, a full crop),
// an exact mirror, the erased rectangle's size, and a blur that keeps a constant image's mean.
// Every case runs for several batch sizes, N = 1 included.

#include <cmath>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <QTest>

#include "augment/ViewAugmenter.h"
#include "augment/ViewTransforms.h"

using namespace crl::augment;

namespace {

/// uint8 images (N, C, H, W) with a fixed random pattern.
at::Tensor byteImages(std::int64_t n, std::int64_t channels, std::int64_t size) {
    at::Generator generator = at::detail::createCPUGenerator(11);
    return at::empty({n, channels, size, size}, at::kByte).random_(0, 256, generator);
}

/// float images (N, C, H, W) in [0, 1] with a fixed random pattern.
at::Tensor unitImages(std::int64_t n, std::int64_t channels, std::int64_t size) {
    return toUnitFloat(byteImages(n, channels, size));
}

/// Every transform switched on, so one view exercises the whole chain.
ViewAugmenterOptions fullChain(std::int64_t outputSize) {
    ViewAugmenterOptions options;
    options.blurProbability = 0.5;
    options.noiseProbability = 0.5;
    options.eraseProbability = 0.5;
    options.outputSize = outputSize;
    return options;
}

double maxAbsDifference(const at::Tensor& a, const at::Tensor& b) {
    return (a - b).abs().max().item<double>();
}

void addBatchRows() {
    QTest::addColumn<qint64>("n");
    for (qint64 n : {1, 2, 5, 16}) {
        QTest::addRow("N=%lld", static_cast<long long>(n)) << n;
    }
}

}  // namespace

class ViewTransformsTest : public QObject {
    Q_OBJECT

private slots:
    void viewsHaveTheOutputShapeAndUnitRange_data() {
        QTest::addColumn<qint64>("n");
        QTest::addColumn<qint64>("channels");
        QTest::addColumn<qint64>("outputSize");
        for (qint64 n : {1, 3, 16}) {
            for (qint64 channels : {1, 3}) {
                for (qint64 outputSize : {28, 20, 32}) {
                    QTest::addRow("N=%lld C=%lld S=%lld", static_cast<long long>(n),
                                  static_cast<long long>(channels),
                                  static_cast<long long>(outputSize))
                        << n << channels << outputSize;
                }
            }
        }
    }

    void viewsHaveTheOutputShapeAndUnitRange() {
        QFETCH(qint64, n);
        QFETCH(qint64, channels);
        QFETCH(qint64, outputSize);
        at::Generator generator = at::detail::createCPUGenerator(1);

        at::Tensor view = makeView(byteImages(n, channels, 28), fullChain(outputSize), generator);
        at::Tensor plain = plainView(byteImages(n, channels, 28), outputSize);

        for (const at::Tensor& v : {view, plain}) {
            QCOMPARE(v.sizes().vec(),
                     (std::vector<std::int64_t>{n, channels, outputSize, outputSize}));
            QCOMPARE(v.scalar_type(), at::kFloat);
            QVERIFY(v.min().item<float>() >= 0.0F);
            QVERIFY(v.max().item<float>() <= 1.0F);
        }
    }

    void sameSeedGivesTheSameViews_data() { addBatchRows(); }

    void sameSeedGivesTheSameViews() {
        QFETCH(qint64, n);
        at::Tensor images = byteImages(n, 3, 28);
        at::Generator first = at::detail::createCPUGenerator(42);
        at::Generator again = at::detail::createCPUGenerator(42);
        at::Generator other = at::detail::createCPUGenerator(43);

        at::Tensor a = makeView(images, fullChain(28), first);
        at::Tensor b = makeView(images, fullChain(28), again);
        at::Tensor c = makeView(images, fullChain(28), other);

        QVERIFY(at::equal(a, b));
        QVERIFY(!at::equal(a, c));
    }

    void probabilityZeroLeavesImagesUnchanged_data() {
        QTest::addColumn<qint64>("n");
        QTest::addColumn<QString>("transform");
        for (const char* transform : {"jitter", "blur", "noise", "erasing"}) {
            for (qint64 n : {1, 2, 5, 16}) {
                QTest::addRow("%s N=%lld", transform, static_cast<long long>(n))
                    << n << QString(transform);
            }
        }
    }

    void probabilityZeroLeavesImagesUnchanged() {
        QFETCH(qint64, n);
        QFETCH(QString, transform);
        at::Tensor images = unitImages(n, 3, 28);
        at::Generator generator = at::detail::createCPUGenerator(5);

        at::Tensor out;
        if (transform == "jitter") {
            out = colorJitter(images, 0.8, 0.8, /*probability=*/0.0, generator);
        } else if (transform == "blur") {
            out = gaussianBlur(images, 0.5, 3.0, /*probability=*/0.0, generator);
        } else if (transform == "noise") {
            out = gaussianNoise(images, 0.3, /*probability=*/0.0, generator);
        } else {
            out = randomErasing(images, 0.1, 0.5, /*probability=*/0.0, generator);
        }

        // Jitter's (x − mean) · 1 + mean may round the last bit of a float; nothing more.
        QCOMPARE(out.sizes(), images.sizes());
        QVERIFY2(maxAbsDifference(out, images) <= 1e-6,
                 qPrintable(QString("changed by %1").arg(maxAbsDifference(out, images))));
    }

    void fullUnflippedCropReproducesTheImage_data() { addBatchRows(); }

    void fullUnflippedCropReproducesTheImage() {
        QFETCH(qint64, n);
        at::Tensor images = unitImages(n, 3, 28);
        at::Generator generator = at::detail::createCPUGenerator(9);
        CropOptions options{/*scaleMin=*/1.0, /*scaleMax=*/1.0, /*ratioMin=*/1.0, /*ratioMax=*/1.0,
                            /*flipProbability=*/0.0};

        at::Tensor out = randomResizedCrop(images, options, /*outputSize=*/28, generator);

        QVERIFY2(maxAbsDifference(out, images) < 1e-5,
                 qPrintable(QString("off by %1").arg(maxAbsDifference(out, images))));
    }

    void certainFlipOfAFullCropMirrorsTheImage_data() { addBatchRows(); }

    void certainFlipOfAFullCropMirrorsTheImage() {
        QFETCH(qint64, n);
        at::Tensor images = unitImages(n, 3, 28);
        at::Generator generator = at::detail::createCPUGenerator(9);
        CropOptions options{1.0, 1.0, 1.0, 1.0, /*flipProbability=*/1.0};

        at::Tensor out = randomResizedCrop(images, options, /*outputSize=*/28, generator);

        // Bitwise equality is out of reach: affine_grid's float32 pixel centres are not exactly
        // symmetric about 0, so each mirrored sample lands a few 1e-6 px off its pixel centre, the
        // same rounding the unflipped full crop shows. A wrong mirror would be off by ~0.5.
        QVERIFY2(maxAbsDifference(out, images.flip({3})) < 1e-5,
                 qPrintable(QString("off by %1").arg(maxAbsDifference(out, images.flip({3})))));
    }

    void certainErasingZeroesOneRectangleWithinTheScaleBounds_data() {
        QTest::addColumn<qint64>("n");
        QTest::addColumn<qint64>("size");
        QTest::addColumn<double>("scaleMin");
        QTest::addColumn<double>("scaleMax");
        for (qint64 n : {1, 2, 5, 16}) {
            QTest::addRow("N=%lld 28px 2-20%%", static_cast<long long>(n))
                << n << qint64{28} << 0.02 << 0.2;
            QTest::addRow("N=%lld 64px 10-30%%", static_cast<long long>(n))
                << n << qint64{64} << 0.1 << 0.3;
        }
    }

    void certainErasingZeroesOneRectangleWithinTheScaleBounds() {
        QFETCH(qint64, n);
        QFETCH(qint64, size);
        QFETCH(double, scaleMin);
        QFETCH(double, scaleMax);
        at::Tensor images = at::ones({n, 2, size, size});
        at::Generator generator = at::detail::createCPUGenerator(17);

        at::Tensor out = randomErasing(images, scaleMin, scaleMax, /*probability=*/1.0, generator);

        for (std::int64_t i = 0; i < n; ++i) {
            // erased: (H, W), the same rectangle in every channel
            at::Tensor erased = out[i][0] == 0;
            QVERIFY(at::equal(erased, out[i][1] == 0));
            const std::int64_t area = erased.sum().item<std::int64_t>();
            QVERIFY2(area > 0, "nothing erased");

            // The zeros fill their bounding box: one rectangle of rows x cols pixels.
            at::Tensor rowsHit = at::nonzero(erased.any(1)).view(-1);
            at::Tensor colsHit = at::nonzero(erased.any(0)).view(-1);
            const std::int64_t rows =
                rowsHit.max().item<std::int64_t>() - rowsHit.min().item<std::int64_t>() + 1;
            const std::int64_t cols =
                colsHit.max().item<std::int64_t>() - colsHit.min().item<std::int64_t>() + 1;
            QCOMPARE(area, rows * cols);

            // A rectangle of real height h and width w covers ⌊h⌋ or ⌈h⌉ rows (likewise
            // columns), so its pixel area lies within (h ± 1)(w ± 1) of the drawn area hw.
            const double pixels = static_cast<double>(size * size);
            const double slack = static_cast<double>(rows + cols + 3);
            QVERIFY2(area >= scaleMin * pixels - slack && area <= scaleMax * pixels + slack,
                     qPrintable(QString("sample %1: %2 x %3 px erased of %4")
                                    .arg(i)
                                    .arg(rows)
                                    .arg(cols)
                                    .arg(pixels)));
        }
    }

    void blurKeepsTheMeanOfAConstantImage_data() {
        QTest::addColumn<qint64>("n");
        QTest::addColumn<double>("sigmaMax");
        for (qint64 n : {1, 2, 5, 16}) {
            QTest::addRow("N=%lld sigma<=2", static_cast<long long>(n)) << n << 2.0;
            QTest::addRow("N=%lld sigma<=10", static_cast<long long>(n)) << n << 10.0;
        }
    }

    void blurKeepsTheMeanOfAConstantImage() {
        QFETCH(qint64, n);
        QFETCH(double, sigmaMax);
        at::Tensor images = at::full({n, 3, 28, 28}, 0.6F);
        at::Generator generator = at::detail::createCPUGenerator(23);

        at::Tensor out = gaussianBlur(images, 0.5, sigmaMax, /*probability=*/1.0, generator);

        QCOMPARE(out.sizes(), images.sizes());
        for (std::int64_t i = 0; i < n; ++i) {
            QVERIFY2(
                std::abs(out[i].mean().item<double>() - 0.6) < 1e-6,
                qPrintable(QString("sample %1 mean %2").arg(i).arg(out[i].mean().item<double>())));
        }
    }

    void blurSmoothsAnImpulse_data() { addBatchRows(); }

    void blurSmoothsAnImpulse() {
        QFETCH(qint64, n);
        at::Tensor images = at::zeros({n, 1, 15, 15});
        images.select(2, 7).select(2, 7).fill_(1.0);
        at::Generator generator = at::detail::createCPUGenerator(29);

        at::Tensor out = gaussianBlur(images, 1.0, 1.0, /*probability=*/1.0, generator);

        // The impulse spreads symmetrically and keeps its total mass away from the borders.
        QVERIFY(out.select(2, 7).select(2, 7).max().item<float>() < 1.0F);
        QVERIFY(at::allclose(out, out.flip({2, 3}), /*rtol=*/0.0, /*atol=*/1e-6));
        QVERIFY(at::allclose(out.sum({1, 2, 3}), at::ones({n}), /*rtol=*/0.0, /*atol=*/1e-5));
    }

    void toUnitFloatMapsBytesOntoZeroToOne() {
        at::Tensor bytes = at::tensor({0, 51, 255}, at::kByte).view({1, 1, 1, 3});

        at::Tensor unit = toUnitFloat(bytes);

        QCOMPARE(unit.scalar_type(), at::kFloat);
        QVERIFY(at::allclose(unit.view(-1), at::tensor({0.0F, 0.2F, 1.0F}), 0.0, 1e-7));
    }
};

QTEST_GUILESS_MAIN(ViewTransformsTest)
#include "ViewTransformsTest.moc"
