// Tests for the image-folder loader and folder data-set references: PNG files of every kind the
// loader converts (8-bit gray, RGB, RGBA, 16-bit), UTF-8 folder and file names, an unreadable
// file and an empty class folder, written into a temporary folder.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <QTemporaryDir>
#include <QTest>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "common/Error.h"
#include "data/DatasetSource.h"
#include "data/ImageFolder.h"

using namespace crl::data;

namespace {

// Folder and file names with characters outside ASCII (UTF-8 in std::string).
const std::string kAppleClass = "\xC3\x84pfel-\xE6\x97\xA5\xE6\x9C\xAC";  // Äpfel-日本
const std::string kSizeFile =
    "gr\xC3\xB6\xC3\x9F"
    "e.png";  // größe.png

std::filesystem::path utf8Path(const std::string& text) {
    return std::filesystem::path(std::u8string(text.begin(), text.end()));
}

/// Written through imencode and std::ofstream so the UTF-8 path goes through std::filesystem.
void writePng(const std::filesystem::path& path, const cv::Mat& image) {
    std::vector<unsigned char> bytes;
    QVERIFY(cv::imencode(".png", image, bytes));
    std::filesystem::create_directories(path.parent_path());
    std::ofstream stream(path, std::ios::binary);
    stream.write(reinterpret_cast<const char*>(bytes.data()),
                 static_cast<std::streamsize>(bytes.size()));
    QVERIFY(stream.good());
}

void writeGarbage(const std::filesystem::path& path) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream stream(path, std::ios::binary);
    stream << "this is not a PNG file, only bytes that claim to be one";
}

/// A class tree in `root`; samples in load order:
///   0 cats/gray8.png   4×4 gray 100                          -> label 0
///   1 cats/rgb.png     8×8 R 200, G 100, B 50                  -> label 0
///   2 Äpfel-日本/deep16.png 8×8 16-bit gray 120 × 257          -> label 2
///   3 Äpfel-日本/größe.png  6×6 R 10, G 20, B 30, alpha 128     -> label 2
/// plus cats/garbage.png (unreadable) and the empty class folder empty/.
void writeClassTree(const std::filesystem::path& root) {
    writePng(root / "cats" / "gray8.png", cv::Mat(4, 4, CV_8UC1, cv::Scalar(100)));
    writePng(root / "cats" / "rgb.png", cv::Mat(8, 8, CV_8UC3, cv::Scalar(50, 100, 200)));
    writeGarbage(root / "cats" / "garbage.png");
    writePng(root / utf8Path(kAppleClass) / "deep16.png",
             cv::Mat(8, 8, CV_16UC1, cv::Scalar(120 * 257)));
    writePng(root / utf8Path(kAppleClass) / utf8Path(kSizeFile),
             cv::Mat(6, 6, CV_8UC4, cv::Scalar(30, 20, 10, 128)));
    std::filesystem::create_directories(root / "empty");
}

/// Pixel (channel, row, col) of sample i as an integer.
int pixel(const ImageDataset& dataset, std::int64_t i, std::int64_t channel, std::int64_t row = 3,
          std::int64_t col = 5) {
    return dataset.images[i][channel][row][col].item<int>();
}

}  // namespace

class ImageFolderTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::filesystem::path m_root;

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_root = std::filesystem::path(m_dir.path().toStdString()) / "classes";
        writeClassTree(m_root);
    }

    void grayscaleLoadConvertsEveryKind() {
        LoadReport report;
        const ImageDataset dataset = loadImageFolder(m_root, {/*channels=*/1, /*size=*/8}, &report);

        QCOMPARE(dataset.images.sizes().vec(), (std::vector<std::int64_t>{4, 1, 8, 8}));
        QCOMPARE(dataset.images.scalar_type(), at::kByte);
        QVERIFY(dataset.images.is_contiguous());
        QCOMPARE(dataset.classNames, (std::vector<std::string>{"cats", "empty", kAppleClass}));
        QCOMPARE(dataset.labels.scalar_type(), at::kLong);
        QCOMPARE(dataset.labels.sizes().vec(), (std::vector<std::int64_t>{4}));
        QCOMPARE(report.loaded, 4);
    }

    void labelsFollowSortedClassFolders() {
        const ImageDataset dataset = loadImageFolder(m_root, {1, 8});
        const at::Tensor expected = at::tensor(std::vector<std::int64_t>{0, 0, 2, 2}, at::kLong);

        QVERIFY(at::equal(dataset.labels, expected));
    }

    void grayscaleValues() {
        const ImageDataset dataset = loadImageFolder(m_root, {1, 8});

        // Gray 100 upscaled from 4×4 stays 100 everywhere.
        QCOMPARE(dataset.images[0].min().item<int>(), 100);
        QCOMPARE(dataset.images[0].max().item<int>(), 100);
        // 0.299·200 + 0.587·100 + 0.114·50 = 124.2
        QCOMPARE(pixel(dataset, 1, 0), 124);
        // 16-bit 120·257 scales to 120.
        QCOMPARE(pixel(dataset, 2, 0), 120);
        // RGBA drops alpha: 0.299·10 + 0.587·20 + 0.114·30 = 18.15
        QCOMPARE(pixel(dataset, 3, 0), 18);
    }

    void rgbValuesAreInRgbOrder() {
        const ImageDataset dataset = loadImageFolder(m_root, {/*channels=*/3, /*size=*/5});

        QCOMPARE(dataset.images.sizes().vec(), (std::vector<std::int64_t>{4, 3, 5, 5}));
        for (int c = 0; c < 3; ++c) {
            QCOMPARE(pixel(dataset, 0, c, 2, 2), 100);
            QCOMPARE(pixel(dataset, 2, c, 2, 2), 120);
        }
        QCOMPARE(pixel(dataset, 1, 0, 2, 2), 200);
        QCOMPARE(pixel(dataset, 1, 1, 2, 2), 100);
        QCOMPARE(pixel(dataset, 1, 2, 2, 2), 50);
        QCOMPARE(pixel(dataset, 3, 0, 2, 2), 10);
        QCOMPARE(pixel(dataset, 3, 1, 2, 2), 20);
        QCOMPARE(pixel(dataset, 3, 2, 2, 2), 30);
    }

    void reportListsUnreadableFilesAndEmptyClasses() {
        LoadReport report;
        loadImageFolder(m_root, {1, 8}, &report);

        QCOMPARE(report.loaded, 4);
        QVERIFY(!report.clean());
        QCOMPARE(report.unreadableFiles.size(), std::size_t{1});
        QVERIFY(report.unreadableFiles[0].find("garbage.png") != std::string::npos);
        QCOMPARE(report.emptyClasses, (std::vector<std::string>{"empty"}));
        const std::string summary = report.summary();
        QVERIFY2(summary.find("Loaded 4 images") != std::string::npos, summary.c_str());
        QVERIFY2(summary.find("garbage.png") != std::string::npos, summary.c_str());
        QVERIFY2(summary.find("empty") != std::string::npos, summary.c_str());
    }

    void noReadableImageIsADataError() {
        const std::filesystem::path root =
            std::filesystem::path(m_dir.path().toStdString()) / "only-garbage";
        writeGarbage(root / "a" / "one.png");
        std::filesystem::create_directories(root / "b");

        QVERIFY_THROWS_EXCEPTION(crl::DataError, loadImageFolder(root, {1, 8}));
        QVERIFY_THROWS_EXCEPTION(crl::DataError, loadImageFolder(root / "missing", {1, 8}));
        QVERIFY_THROWS_EXCEPTION(crl::UserError, loadImageFolder(m_root, {/*channels=*/2, 8}));
    }

    void sourceWithTrainAndTestResolvesAgainstTheProject() {
        const std::filesystem::path project = std::filesystem::path(m_dir.path().toStdString());
        writeClassTree(project / "split" / "train");
        writeClassTree(project / "split" / "test");

        LoadReport report;
        const DatasetSplits splits = loadDatasetSource("split", project, {1, 8}, &report);

        QCOMPARE(splits.train.size(), 4);
        QCOMPARE(splits.test.size(), 4);
        QCOMPARE(splits.train.classNames, splits.test.classNames);
        QCOMPARE(report.loaded, 8);
        QCOMPARE(report.unreadableFiles.size(), std::size_t{2});
    }

    void sourceWithoutSplitsServesOneFolderForBoth() {
        const DatasetSplits splits =
            loadDatasetSource(m_root.string(), "/nonexistent-project", {1, 8});

        QCOMPARE(splits.train.size(), 4);
        QCOMPARE(splits.test.images.data_ptr(), splits.train.images.data_ptr());
    }

    void badSourcesAreExplained() {
        try {
            loadDatasetSource("builtin:cifar-10", m_root, {1, 28});
            QFAIL("expected a DataError");
        } catch (const crl::DataError& error) {
            const std::string message = error.what();
            QVERIFY2(message.find("builtin:cifar-10") != std::string::npos, error.what());
            QVERIFY2(message.find("builtin:fashion-mnist") != std::string::npos, error.what());
        }
        QVERIFY_THROWS_EXCEPTION(crl::DataError, loadDatasetSource("no-such-folder", m_root, {}));
    }
};

QTEST_GUILESS_MAIN(ImageFolderTest)
#include "ImageFolderTest.moc"
