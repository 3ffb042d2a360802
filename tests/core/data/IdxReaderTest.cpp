// Tests for the IDX reader: a round trip through small generated files, plain and gzip, then
// one test per way a file can be wrong, and a read of the real Fashion-MNIST files.

#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <QTemporaryDir>
#include <QTest>

#include "common/Error.h"
#include "data/DatasetSource.h"
#include "data/IdxReader.h"

using crl::DataError;
using namespace crl::data;

namespace {

std::vector<unsigned char> idxHeader(std::uint32_t magic, const std::vector<std::uint32_t>& sizes) {
    std::vector<unsigned char> bytes;
    auto push32 = [&bytes](std::uint32_t value) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes.push_back(static_cast<unsigned char>((value >> shift) & 0xFF));
        }
    };
    push32(magic);
    for (std::uint32_t size : sizes) {
        push32(size);
    }
    return bytes;
}

void writeFile(const std::filesystem::path& path, const std::vector<unsigned char>& bytes,
               bool gzip) {
    if (gzip) {
        gzFile file = gzopen(path.c_str(), "wb");
        QVERIFY(file != nullptr);
        if (!bytes.empty()) {
            QCOMPARE(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())),
                     static_cast<int>(bytes.size()));
        }
        QCOMPARE(gzclose(file), Z_OK);
        return;
    }
    std::ofstream stream(path, std::ios::binary);
    stream.write(reinterpret_cast<const char*>(bytes.data()),
                 static_cast<std::streamsize>(bytes.size()));
    QVERIFY(stream.good());
}

/// An IDX file: header with `sizes`, then `payload` (which a test may leave short).
void writeIdx(const std::filesystem::path& path, std::uint32_t magic,
              const std::vector<std::uint32_t>& sizes, const std::vector<unsigned char>& payload,
              bool gzip) {
    std::vector<unsigned char> bytes = idxHeader(magic, sizes);
    bytes.insert(bytes.end(), payload.begin(), payload.end());
    writeFile(path, bytes, gzip);
}

std::vector<unsigned char> pixelPattern(std::size_t count) {
    std::vector<unsigned char> pixels(count);
    for (std::size_t i = 0; i < count; ++i) {
        pixels[i] = static_cast<unsigned char>((i * 37 + 11) % 256);
    }
    return pixels;
}

/// The message of the DataError `call` throws; empty when it throws none.
template <typename Call>
std::string dataErrorMessage(Call&& call) {
    try {
        call();
    } catch (const DataError& error) {
        return error.what();
    }
    return {};
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

class IdxReaderTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::filesystem::path file(const char* name, bool gzip) const {
        return std::filesystem::path(m_dir.path().toStdString()) /
               (std::string(name) + (gzip ? ".gz" : ""));
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void roundTripKeepsEveryPixel_data() {
        QTest::addColumn<bool>("gzip");
        QTest::newRow("plain") << false;
        QTest::newRow("gzip") << true;
    }
    void roundTripKeepsEveryPixel() {
        QFETCH(bool, gzip);
        const std::vector<unsigned char> pixels = pixelPattern(3 * 4 * 5);
        writeIdx(file("images", gzip), 2051, {3, 4, 5}, pixels, gzip);
        writeIdx(file("labels", gzip), 2049, {3}, {7, 0, 255}, gzip);

        const ImageDataset dataset = readIdxDataset(file("images", gzip), file("labels", gzip));

        QCOMPARE(dataset.images.sizes().vec(), (std::vector<std::int64_t>{3, 1, 4, 5}));
        QCOMPARE(dataset.images.scalar_type(), at::kByte);
        QVERIFY(dataset.images.is_contiguous());
        const auto* data = dataset.images.data_ptr<std::uint8_t>();
        for (std::size_t i = 0; i < pixels.size(); ++i) {
            QCOMPARE(data[i], pixels[i]);
        }
        QCOMPARE(dataset.labels.scalar_type(), at::kLong);
        QCOMPARE(dataset.labels[0].item<std::int64_t>(), 7);
        QCOMPARE(dataset.labels[1].item<std::int64_t>(), 0);
        QCOMPARE(dataset.labels[2].item<std::int64_t>(), 255);
        QCOMPARE(dataset.classNames.size(), std::size_t{256});
    }

    void headSharesTheLeadingSamples() {
        writeIdx(file("head-images", false), 2051, {4, 2, 2}, pixelPattern(16), false);
        writeIdx(file("head-labels", false), 2049, {4}, {1, 2, 3, 4}, false);
        const ImageDataset dataset =
            readIdxDataset(file("head-images", false), file("head-labels", false));

        const ImageDataset head = dataset.head(2);

        QCOMPARE(head.size(), 2);
        QCOMPARE(head.images.data_ptr(), dataset.images.data_ptr());
        QCOMPARE(head.labels[1].item<std::int64_t>(), 2);
        QCOMPARE(dataset.head(0).size(), 4);
        QCOMPARE(dataset.head(9).size(), 4);
    }

    void wrongMagicNamesTheExpectedNumber_data() {
        QTest::addColumn<bool>("gzip");
        QTest::newRow("plain") << false;
        QTest::newRow("gzip") << true;
    }
    void wrongMagicNamesTheExpectedNumber() {
        QFETCH(bool, gzip);
        writeIdx(file("swapped-labels", gzip), 2049, {2}, {1, 2}, gzip);
        writeIdx(file("swapped-images", gzip), 2051, {1, 1, 1}, {9}, gzip);
        writeIdx(file("not-idx", gzip), 0x89504E47, {1, 1, 1}, {9}, gzip);

        const std::string asImages =
            dataErrorMessage([&] { readIdxImages(file("swapped-labels", gzip)); });
        QVERIFY2(contains(asImages, file("swapped-labels", gzip).string()), asImages.c_str());
        QVERIFY2(contains(asImages, "expected the IDX magic number 2051"), asImages.c_str());
        QVERIFY2(contains(asImages, "found 2049"), asImages.c_str());
        QVERIFY2(contains(asImages, "labels file?"), asImages.c_str());

        const std::string asLabels =
            dataErrorMessage([&] { readIdxLabels(file("swapped-images", gzip)); });
        QVERIFY2(contains(asLabels, file("swapped-images", gzip).string()), asLabels.c_str());
        QVERIFY2(contains(asLabels, "2049"), asLabels.c_str());
        QVERIFY2(contains(asLabels, "images file?"), asLabels.c_str());

        const std::string notIdx = dataErrorMessage([&] { readIdxImages(file("not-idx", gzip)); });
        QVERIFY2(contains(notIdx, "2051"), notIdx.c_str());
        QVERIFY2(contains(notIdx, "not an IDX file"), notIdx.c_str());
    }

    void truncatedHeaderSaysHowManyBytes_data() {
        QTest::addColumn<bool>("gzip");
        QTest::newRow("plain") << false;
        QTest::newRow("gzip") << true;
    }
    void truncatedHeaderSaysHowManyBytes() {
        QFETCH(bool, gzip);
        // Magic and the count only: 8 of the 16 header bytes.
        writeFile(file("short-header", gzip), idxHeader(2051, {3}), gzip);
        writeFile(file("two-bytes", gzip), {0, 0}, gzip);

        const std::string message =
            dataErrorMessage([&] { readIdxImages(file("short-header", gzip)); });
        QVERIFY2(contains(message, file("short-header", gzip).string()), message.c_str());
        QVERIFY2(contains(message, "expected an IDX header of 16 bytes"), message.c_str());
        QVERIFY2(contains(message, "found only 8 bytes"), message.c_str());

        const std::string tiny = dataErrorMessage([&] { readIdxLabels(file("two-bytes", gzip)); });
        QVERIFY2(contains(tiny, "expected an IDX header of 8 bytes"), tiny.c_str());
        QVERIFY2(contains(tiny, "found only 2 bytes"), tiny.c_str());
    }

    void truncatedPayloadSaysExpectedAndPresentBytes_data() {
        QTest::addColumn<bool>("gzip");
        QTest::newRow("plain") << false;
        QTest::newRow("gzip") << true;
    }
    void truncatedPayloadSaysExpectedAndPresentBytes() {
        QFETCH(bool, gzip);
        // The header declares 3×4×5 = 60 payload bytes; 50 follow.
        writeIdx(file("short-payload", gzip), 2051, {3, 4, 5}, pixelPattern(50), gzip);

        const std::string message =
            dataErrorMessage([&] { readIdxImages(file("short-payload", gzip)); });
        QVERIFY2(contains(message, file("short-payload", gzip).string()), message.c_str());
        QVERIFY2(contains(message, "76 bytes were expected"), message.c_str());
        QVERIFY2(contains(message, "only 66 are present"), message.c_str());
    }

    void extraBytesAreRefused() {
        writeIdx(file("long-labels", false), 2049, {2}, {1, 2, 3}, false);

        const std::string message =
            dataErrorMessage([&] { readIdxLabels(file("long-labels", false)); });
        QVERIFY2(contains(message, file("long-labels", false).string()), message.c_str());
        QVERIFY2(contains(message, "10 bytes were expected"), message.c_str());
        QVERIFY2(contains(message, "1 more"), message.c_str());
    }

    void countMismatchNamesBothFiles_data() {
        QTest::addColumn<bool>("gzip");
        QTest::newRow("plain") << false;
        QTest::newRow("gzip") << true;
    }
    void countMismatchNamesBothFiles() {
        QFETCH(bool, gzip);
        writeIdx(file("three-images", gzip), 2051, {3, 2, 2}, pixelPattern(12), gzip);
        writeIdx(file("two-labels", gzip), 2049, {2}, {0, 1}, gzip);

        const std::string message = dataErrorMessage(
            [&] { readIdxDataset(file("three-images", gzip), file("two-labels", gzip)); });
        QVERIFY2(contains(message, file("three-images", gzip).string()), message.c_str());
        QVERIFY2(contains(message, file("two-labels", gzip).string()), message.c_str());
        QVERIFY2(contains(message, "3 images"), message.c_str());
        QVERIFY2(contains(message, "2 labels"), message.c_str());
    }

    void absurdDimensionsAreRefusedBeforeAllocating_data() {
        QTest::addColumn<bool>("gzip");
        QTest::newRow("plain") << false;
        QTest::newRow("gzip") << true;
    }
    void absurdDimensionsAreRefusedBeforeAllocating() {
        QFETCH(bool, gzip);
        // 2^32-1 cubed overflows 64 bits; the reader must refuse it from the header alone.
        writeIdx(file("huge", gzip), 2051, {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}, {}, gzip);
        writeIdx(file("zero-width", gzip), 2051, {2, 28, 0}, {}, gzip);

        const std::string message = dataErrorMessage([&] { readIdxImages(file("huge", gzip)); });
        QVERIFY2(contains(message, file("huge", gzip).string()), message.c_str());
        QVERIFY2(contains(message, "4294967295×4294967295×4294967295"), message.c_str());
        QVERIFY2(contains(message, "2147483648 bytes"), message.c_str());

        const std::string zero = dataErrorMessage([&] { readIdxImages(file("zero-width", gzip)); });
        QVERIFY2(contains(zero, "expected non-zero sizes"), zero.c_str());
    }

    void missingFileIsNamed() {
        const std::filesystem::path missing = file("does-not-exist-idx3-ubyte", true);

        const std::string message = dataErrorMessage([&] { readIdxImages(missing); });
        QVERIFY2(contains(message, missing.string()), message.c_str());
        QVERIFY2(contains(message, "not found"), message.c_str());
    }

    void damagedGzipIsReported() {
        // A valid gzip header followed by garbage deflate data.
        writeFile(file("damaged", false),
                  {0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03, 0xff, 0xff, 0xff, 0xff}, false);

        const std::string message =
            dataErrorMessage([&] { readIdxImages(file("damaged", false)); });
        QVERIFY2(contains(message, file("damaged", false).string()), message.c_str());
    }

    void readsTheRealFashionMnist() {
        const std::filesystem::path folder = fashionMnistDirectory();
        if (!std::filesystem::exists(folder / "train-images-idx3-ubyte.gz")) {
            QSKIP("dataset-fashion-mnist is not installed");
        }

        const ImageDataset train = readIdxDataset(folder / "train-images-idx3-ubyte.gz",
                                                  folder / "train-labels-idx1-ubyte.gz");
        const ImageDataset test = readIdxDataset(folder / "t10k-images-idx3-ubyte.gz",
                                                 folder / "t10k-labels-idx1-ubyte.gz");

        QCOMPARE(train.images.sizes().vec(), (std::vector<std::int64_t>{60000, 1, 28, 28}));
        QCOMPARE(test.images.sizes().vec(), (std::vector<std::int64_t>{10000, 1, 28, 28}));
        QCOMPARE(train.labels.min().item<std::int64_t>(), 0);
        QCOMPARE(train.labels.max().item<std::int64_t>(), 9);
        QCOMPARE(test.labels.min().item<std::int64_t>(), 0);
        QCOMPARE(test.labels.max().item<std::int64_t>(), 9);
        const at::Tensor perClass = at::bincount(train.labels);
        for (std::int64_t k = 0; k < 10; ++k) {
            QCOMPARE(perClass[k].item<std::int64_t>(), 6000);
        }
        QVERIFY(train.images.max().item<std::uint8_t>() > 200);
    }
};

QTEST_GUILESS_MAIN(IdxReaderTest)
#include "IdxReaderTest.moc"
