#include "data/DatasetSource.h"

#include <array>
#include <cstdlib>
#include <string>
#include <system_error>
#include <vector>

#include <ATen/ATen.h>

#include "common/Error.h"
#include "common/Log.h"
#include "data/IdxReader.h"

namespace crl::data {
namespace {

constexpr const char* kBuiltinPrefix = "builtin:";
constexpr const char* kFashionMnistDefaultDir = "/usr/share/datasets/fashion-mnist";

const std::vector<std::string>& fashionMnistClassNames() {
    static const std::vector<std::string> names = {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    return names;
}

void checkOptions(const ImageFolderOptions& options) {
    if (options.channels != 1 && options.channels != 3) {
        throw UserError("Image channels must be 1 (grayscale) or 3 (RGB), got " +
                        std::to_string(options.channels) + ".");
    }
    if (options.size < 1 || options.size > 4096) {
        throw UserError("Image size must be between 1 and 4096 px, got " +
                        std::to_string(options.size) + ".");
    }
}

/// Brings (N, 1, 28, 28) IDX images to the requested size and channel count.
at::Tensor conformImages(const at::Tensor& images, const ImageFolderOptions& options) {
    at::Tensor result = images;

    // Resize in chunks: the float copy of a whole split at a large size would not fit in memory.
    if (options.size != images.size(2) || options.size != images.size(3)) {
        constexpr std::int64_t kChunk = 2048;
        const std::int64_t count = images.size(0);
        result = at::empty({count, images.size(1), options.size, options.size}, at::kByte);
        for (std::int64_t start = 0; start < count; start += kChunk) {
            const std::int64_t length = std::min(kChunk, count - start);
            const at::Tensor chunk = images.narrow(0, start, length).to(at::kFloat);
            const at::Tensor resized = at::upsample_bilinear2d(chunk, {options.size, options.size},
                                                               /*align_corners=*/false);
            result.narrow(0, start, length).copy_(resized.round().clamp(0, 255).to(at::kByte));
        }
    }

    // Gray to RGB: the same plane three times.
    if (options.channels == 3 && result.size(1) == 1) {
        result = result.repeat({1, 3, 1, 1});
    }
    return result.contiguous();
}

ImageDataset loadFashionSplit(const std::filesystem::path& folder, const std::string& split,
                              const ImageFolderOptions& options) {
    ImageDataset dataset = readIdxDataset(folder / (split + "-images-idx3-ubyte.gz"),
                                          folder / (split + "-labels-idx1-ubyte.gz"));
    const auto classCount = static_cast<std::int64_t>(fashionMnistClassNames().size());
    if (dataset.size() > 0 && (dataset.labels.min().item<std::int64_t>() < 0 ||
                               dataset.labels.max().item<std::int64_t>() >= classCount)) {
        throw DataError((folder / (split + "-labels-idx1-ubyte.gz")).string() +
                        ": expected Fashion-MNIST labels 0.." + std::to_string(classCount - 1) +
                        ", found " + std::to_string(dataset.labels.max().item<std::int64_t>()) +
                        "; reinstall dataset-fashion-mnist");
    }
    dataset.images = conformImages(dataset.images, options);
    dataset.classNames = fashionMnistClassNames();
    dataset.origin = std::string(kFashionMnistSource) + " (" + split + ")";
    return dataset;
}

DatasetSplits loadFashionMnist(const ImageFolderOptions& options, LoadReport* report) {
    const std::filesystem::path folder = fashionMnistDirectory();

    // Name every missing file at once, and the package or variable that provides them.
    const std::array<const char*, 4> files = {
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz"};
    std::string missing;
    std::error_code error;
    for (const char* file : files) {
        if (!std::filesystem::is_regular_file(folder / file, error)) {
            missing += std::string(missing.empty() ? "" : ", ") + file;
        }
    }
    if (!missing.empty()) {
        const bool overridden = folder != std::filesystem::path(kFashionMnistDefaultDir);
        throw DataError(
            std::string(kFashionMnistSource) + ": expected the Fashion-MNIST files in " +
            folder.string() + (overridden ? " (set by CRL_FASHION_MNIST_DIR)" : "") + ", missing " +
            missing + ". Install them with `sudo apt-get install " + "dataset-fashion-mnist`" +
            (overridden ? ", or unset CRL_FASHION_MNIST_DIR." : "."));
    }

    DatasetSplits splits{loadFashionSplit(folder, "train", options),
                         loadFashionSplit(folder, "t10k", options)};
    if (report != nullptr) {
        report->loaded += splits.train.size() + splits.test.size();
    }
    return splits;
}

DatasetSplits loadFolderSource(const std::string& source,
                               const std::filesystem::path& projectFolder,
                               const ImageFolderOptions& options, LoadReport* report) {
    std::filesystem::path root = std::filesystem::path(source);
    if (root.is_relative()) {
        root = projectFolder / root;
    }
    std::error_code error;
    if (!std::filesystem::is_directory(root, error)) {
        throw DataError("Data set \"" + source + "\": expected a folder at " + root.string() +
                        ", found " + (std::filesystem::exists(root, error) ? "a file" : "nothing") +
                        ". Use a folder of class sub-folders or " + kFashionMnistSource + ".");
    }

    const bool hasTrain = std::filesystem::is_directory(root / "train", error);
    const bool hasTest = std::filesystem::is_directory(root / "test", error);
    if (hasTrain != hasTest) {
        throw DataError("Data set \"" + source + "\": " + root.string() + " has a " +
                        (hasTrain ? "train/" : "test/") + " folder but no " +
                        (hasTrain ? "test/" : "train/") +
                        " folder; add it, or move the class folders up to use one folder for "
                        "both splits.");
    }
    if (!hasTrain) {
        // One folder serves as both splits; loaded once, so the report counts each file once.
        ImageDataset both = loadImageFolder(root, options, report);
        logInfo("Data set \"" + source + "\" has no train/ and test/ folders; " + root.string() +
                " is used for both, so test metrics measure fit, not generalisation.");
        return DatasetSplits{both, both};
    }

    DatasetSplits splits{loadImageFolder(root / "train", options, report),
                         loadImageFolder(root / "test", options, report)};
    if (splits.train.classNames != splits.test.classNames) {
        throw DataError("Data set \"" + source + "\": expected the same class folders in " +
                        (root / "train").string() + " and " + (root / "test").string() +
                        ", found " + std::to_string(splits.train.classNames.size()) + " and " +
                        std::to_string(splits.test.classNames.size()) +
                        " with different names; create the missing class folders (an empty "
                        "one is allowed).");
    }
    return splits;
}

}  // namespace

std::filesystem::path fashionMnistDirectory() {
    const char* overridden = std::getenv("CRL_FASHION_MNIST_DIR");
    if (overridden != nullptr && overridden[0] != '\0') {
        return std::filesystem::path(overridden);
    }
    return std::filesystem::path(kFashionMnistDefaultDir);
}

DatasetSplits loadDatasetSource(const std::string& source,
                                const std::filesystem::path& projectFolder,
                                const ImageFolderOptions& options, LoadReport* report) {
    checkOptions(options);
    if (source.empty()) {
        throw DataError(std::string("No data set given; expected ") + kFashionMnistSource +
                        " or a folder of class sub-folders.");
    }

    if (source.rfind(kBuiltinPrefix, 0) == 0) {
        if (source == kFashionMnistSource) {
            return loadFashionMnist(options, report);
        }
        throw DataError("Unknown built-in data set \"" + source +
                        "\"; the built-ins are: " + kFashionMnistSource + ".");
    }
    return loadFolderSource(source, projectFolder, options, report);
}

}  // namespace crl::data
