#pragma once
// An image-folder data set: one sub-folder per class, images decoded with OpenCV. Grayscale,
// RGB, RGBA and 16-bit images are converted to the requested channel count and resized to the
// requested size. Unreadable files and empty class folders are listed in a load report rather
// than failing the load. File names may be non-ASCII (UTF-8).

#include <filesystem>
#include <string>
#include <vector>

#include "data/ImageDataset.h"

namespace crl::data {

struct ImageFolderOptions {
    int channels = 1;  ///< 1 (grayscale) or 3 (RGB)
    int size = 28;     ///< output height and width in px
};

struct LoadReport {
    std::vector<std::string> unreadableFiles;  ///< path and reason, one per entry
    std::vector<std::string> emptyClasses;     ///< class folder names with no readable image
    std::int64_t loaded = 0;

    bool clean() const { return unreadableFiles.empty() && emptyClasses.empty(); }
    std::string summary() const;
};

/// Loads `root/<class>/<image>`; classes sorted by folder name. Throws DataError when `root` is
/// not a folder or holds no readable image at all. Requires a build with CRL_WITH_OPENCV.
ImageDataset loadImageFolder(const std::filesystem::path& root, const ImageFolderOptions& options,
                             LoadReport* report = nullptr);

}  // namespace crl::data
