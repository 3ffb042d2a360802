// Tests for built-in data-set references: Fashion-MNIST from Debian's package, its class names,
// channel and size conversion, and the message when the package is missing.

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <QTemporaryDir>
#include <QTest>

#include "common/Error.h"
#include "data/DatasetSource.h"

using namespace crl::data;

class DatasetSourceTest : public QObject {
    Q_OBJECT

private slots:
    void missingPackageNamesTheAptCommand() {
        QTemporaryDir empty;
        qputenv("CRL_FASHION_MNIST_DIR", empty.path().toUtf8());

        try {
            loadDatasetSource(kFashionMnistSource, "/", {});
            qunsetenv("CRL_FASHION_MNIST_DIR");
            QFAIL("expected a DataError");
        } catch (const crl::DataError& error) {
            qunsetenv("CRL_FASHION_MNIST_DIR");
            const std::string message = error.what();
            QVERIFY2(
                message.find("sudo apt-get install dataset-fashion-mnist") != std::string::npos,
                error.what());
            QVERIFY2(message.find(empty.path().toStdString()) != std::string::npos, error.what());
            QVERIFY2(message.find("train-images-idx3-ubyte.gz") != std::string::npos, error.what());
        }
        QCOMPARE(fashionMnistDirectory(),
                 std::filesystem::path("/usr/share/datasets/fashion-mnist"));
    }

    void fashionMnistLoadsBothSplitsWithClassNames() {
        if (!std::filesystem::exists(fashionMnistDirectory() / "train-images-idx3-ubyte.gz")) {
            QSKIP("dataset-fashion-mnist is not installed");
        }

        LoadReport report;
        const DatasetSplits splits = loadDatasetSource(kFashionMnistSource, "/", {}, &report);

        QCOMPARE(splits.train.images.sizes().vec(), (std::vector<std::int64_t>{60000, 1, 28, 28}));
        QCOMPARE(splits.test.size(), 10000);
        QCOMPARE(splits.train.classNames.size(), std::size_t{10});
        QCOMPARE(splits.train.classNames.front(), std::string("T-shirt/top"));
        QCOMPARE(splits.train.classNames.back(), std::string("Ankle boot"));
        QCOMPARE(report.loaded, 70000);
    }

    void fashionMnistConvertsChannelsAndSize() {
        if (!std::filesystem::exists(fashionMnistDirectory() / "t10k-images-idx3-ubyte.gz")) {
            QSKIP("dataset-fashion-mnist is not installed");
        }

        const DatasetSplits splits =
            loadDatasetSource(kFashionMnistSource, "/", {/*channels=*/3, /*size=*/32});

        QCOMPARE(splits.test.images.sizes().vec(), (std::vector<std::int64_t>{10000, 3, 32, 32}));
        QCOMPARE(splits.test.images.scalar_type(), at::kByte);
        QVERIFY(at::equal(splits.test.images.select(1, 0), splits.test.images.select(1, 2)));
        // Bilinear resizing keeps the mean brightness close to the original's.
        const DatasetSplits original = loadDatasetSource(kFashionMnistSource, "/", {});
        const double before = original.test.images.to(at::kFloat).mean().item<double>();
        const double after = splits.test.images.to(at::kFloat).mean().item<double>();
        QVERIFY2(std::abs(before - after) < 2.0, std::to_string(after - before).c_str());
    }
};

QTEST_GUILESS_MAIN(DatasetSourceTest)
#include "DatasetSourceTest.moc"
