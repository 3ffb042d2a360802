#include "data/ImageFolder.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

#include <ATen/ATen.h>

#if CRL_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

#include "common/Error.h"
#include "common/Log.h"

namespace crl::data {

std::string LoadReport::summary() const {
    // Long lists are cut: the summary goes into one log line or one message box.
    static constexpr std::size_t kListed = 5;
    auto list = [](const std::vector<std::string>& items) {
        std::string text;
        for (std::size_t i = 0; i < std::min(items.size(), kListed); ++i) {
            text += (i == 0 ? "" : "; ") + items[i];
        }
        if (items.size() > kListed) {
            text += "; and " + std::to_string(items.size() - kListed) + " more";
        }
        return text;
    };

    std::string text = "Loaded " + std::to_string(loaded) + " image" + (loaded == 1 ? "" : "s");
    if (!unreadableFiles.empty()) {
        text += "; skipped " + std::to_string(unreadableFiles.size()) + " unreadable file" +
                (unreadableFiles.size() == 1 ? "" : "s") + ": " + list(unreadableFiles);
    }
    if (!emptyClasses.empty()) {
        text += "; " + std::to_string(emptyClasses.size()) + " class folder" +
                (emptyClasses.size() == 1 ? " has" : "s have") +
                " no readable image: " + list(emptyClasses);
    }
    return text + ".";
}

#if CRL_WITH_OPENCV

namespace {

bool isHidden(const std::filesystem::path& path) {
    const std::string name = path.filename().string();
    return !name.empty() && name.front() == '.';
}

/// Entries of `folder` that pass `keep`, sorted by name so that class indices and sample order
/// are the same on every machine.
template <typename Keep>
std::vector<std::filesystem::path> sortedEntries(const std::filesystem::path& folder, Keep keep) {
    std::vector<std::filesystem::path> entries;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
        if (!isHidden(entry.path()) && keep(entry)) {
            entries.push_back(entry.path());
        }
    }
    if (error) {
        throw DataError(folder.string() + ": cannot list the folder (" + error.message() + ")");
    }
    std::sort(entries.begin(), entries.end());
    return entries;
}

/// Reads the whole file through std::ifstream, which takes the path as the OS spells it, so
/// UTF-8 names work where cv::imread's narrow-string API would not on every platform.
std::vector<unsigned char> readBytes(const std::filesystem::path& path, std::string* reason) {
    std::ifstream stream(path, std::ios::binary);
    if (!stream) {
        *reason = "cannot be opened for reading";
        return {};
    }
    std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(stream)),
                                     std::istreambuf_iterator<char>());
    if (stream.bad()) {
        *reason = "read error";
        return {};
    }
    if (bytes.empty()) {
        *reason = "empty file";
    }
    return bytes;
}

/// Decodes one image to uint8 (size, size, channels), RGB order for three channels. Returns an
/// empty matrix and sets `reason` when the file is not an image OpenCV can decode.
cv::Mat decodeImage(const std::filesystem::path& path, const ImageFolderOptions& options,
                    std::string* reason) {
    const std::vector<unsigned char> bytes = readBytes(path, reason);
    if (bytes.empty()) {
        return {};
    }

    cv::Mat image;
    try {
        image = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception& error) {
        *reason = "OpenCV cannot decode it (" + error.msg + ")";
        return {};
    }
    if (image.empty()) {
        *reason = "not an image format OpenCV can decode";
        return {};
    }

    // Depth to 8 bit: 16-bit spans 0..65535 (257 * 255), float images are taken as 0..1.
    switch (image.depth()) {
        case CV_8U:
            break;
        case CV_16U:
            image.convertTo(image, CV_8U, 1.0 / 257.0);
            break;
        case CV_32F:
        case CV_64F:
            image.convertTo(image, CV_8U, 255.0);
            break;
        default:
            *reason = "unsupported pixel depth (expected 8-bit, 16-bit or float)";
            return {};
    }

    // Channels: alpha is dropped, not composited; OpenCV decodes colour as BGR(A).
    cv::Mat converted;
    const int channels = image.channels();
    if (channels == 2) {
        cv::extractChannel(image, image, 0);  // gray + alpha: keep the gray plane
    }
    if (image.channels() == 1) {
        if (options.channels == 1) {
            converted = image;
        } else {
            cv::cvtColor(image, converted, cv::COLOR_GRAY2RGB);
        }
    } else if (image.channels() == 3) {
        cv::cvtColor(image, converted,
                     options.channels == 1 ? cv::COLOR_BGR2GRAY : cv::COLOR_BGR2RGB);
    } else if (image.channels() == 4) {
        cv::cvtColor(image, converted,
                     options.channels == 1 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGRA2RGB);
    } else {
        *reason = "unsupported channel count " + std::to_string(channels) +
                  " (expected gray, RGB or RGBA)";
        return {};
    }

    // INTER_AREA averages source pixels when shrinking, which avoids aliasing.
    if (converted.rows != options.size || converted.cols != options.size) {
        cv::Mat resized;
        cv::resize(converted, resized, cv::Size(options.size, options.size), 0, 0, cv::INTER_AREA);
        converted = resized;
    }
    return converted.isContinuous() ? converted : converted.clone();
}

}  // namespace

ImageDataset loadImageFolder(const std::filesystem::path& root, const ImageFolderOptions& options,
                             LoadReport* report) {
    if (options.channels != 1 && options.channels != 3) {
        throw UserError("Image channels must be 1 (grayscale) or 3 (RGB), got " +
                        std::to_string(options.channels) + ".");
    }
    if (options.size < 1 || options.size > 4096) {
        throw UserError("Image size must be between 1 and 4096 px, got " +
                        std::to_string(options.size) + ".");
    }
    std::error_code error;
    if (!std::filesystem::is_directory(root, error)) {
        throw DataError(
            root.string() + ": expected an image folder (one sub-folder per class), " +
            (std::filesystem::exists(root, error) ? "found a file" : "found nothing at that path"));
    }

    // Every sub-folder is a class, even an empty one, so that the train/ and test/ splits of
    // one data set number their classes the same way.
    const std::vector<std::filesystem::path> classFolders =
        sortedEntries(root, [](const auto& entry) { return entry.is_directory(); });
    if (classFolders.empty()) {
        throw DataError(root.string() +
                        ": expected one sub-folder per class (root/<class>/<image>), found none; "
                        "move the images into a folder named after their class");
    }

    // Each decoded image is uint8 (size, size, channels) in HWC order.
    LoadReport local;
    std::vector<cv::Mat> decoded;
    std::vector<std::int64_t> labels;
    ImageDataset dataset;
    for (std::size_t classIndex = 0; classIndex < classFolders.size(); ++classIndex) {
        const std::filesystem::path& folder = classFolders[classIndex];
        dataset.classNames.push_back(folder.filename().string());
        const std::vector<std::filesystem::path> files =
            sortedEntries(folder, [](const auto& entry) { return entry.is_regular_file(); });

        std::int64_t readable = 0;
        for (const std::filesystem::path& file : files) {
            std::string reason;
            cv::Mat image = decodeImage(file, options, &reason);
            if (image.empty()) {
                local.unreadableFiles.push_back(file.string() + ": " + reason);
                continue;
            }
            decoded.push_back(std::move(image));
            labels.push_back(static_cast<std::int64_t>(classIndex));
            ++readable;
        }
        if (readable == 0) {
            local.emptyClasses.push_back(folder.filename().string());
        }
    }
    local.loaded = static_cast<std::int64_t>(decoded.size());

    if (decoded.empty()) {
        throw DataError(root.string() + ": expected images in its " +
                        std::to_string(classFolders.size()) +
                        " class folder(s), found no readable image. " + local.summary());
    }

    // images: (N, C, size, size), copied plane by plane out of the HWC matrices.
    const auto count = static_cast<std::int64_t>(decoded.size());
    const std::int64_t size = options.size;
    dataset.images = at::empty({count, size, size, options.channels}, at::kByte);
    auto* out = dataset.images.data_ptr<std::uint8_t>();
    const std::size_t imageBytes = static_cast<std::size_t>(size * size * options.channels);
    for (std::int64_t i = 0; i < count; ++i) {
        std::copy_n(decoded[i].ptr<std::uint8_t>(), imageBytes, out + i * imageBytes);
    }
    dataset.images = dataset.images.permute({0, 3, 1, 2}).contiguous();
    dataset.labels = at::tensor(labels, at::kLong);
    dataset.origin = root.string();

    // Problems are never swallowed: without a report to hold them they go to the log.
    if (!local.clean()) {
        if (report == nullptr) {
            logWarning(root.string() + ": " + local.summary());
        }
    }
    if (report != nullptr) {
        // Appended, so one report can cover the train and test folders of a source.
        report->unreadableFiles.insert(report->unreadableFiles.end(), local.unreadableFiles.begin(),
                                       local.unreadableFiles.end());
        report->emptyClasses.insert(report->emptyClasses.end(), local.emptyClasses.begin(),
                                    local.emptyClasses.end());
        report->loaded += local.loaded;
    }
    return dataset;
}

#else  // CRL_WITH_OPENCV

ImageDataset loadImageFolder(const std::filesystem::path& root, const ImageFolderOptions&,
                             LoadReport*) {
    throw UserError("Cannot load the image folder " + root.string() +
                    ": this build of CRL Workbench has no OpenCV. Install libopencv-dev and "
                    "rebuild with -DCRL_WITH_OPENCV=ON, or use builtin:fashion-mnist.");
}

#endif  // CRL_WITH_OPENCV

}  // namespace crl::data
