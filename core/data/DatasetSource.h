#pragma once
// Resolves a data-set reference from a project file into its train and test splits:
//   builtin:fashion-mnist  Debian's dataset-fashion-mnist (IDX, 60k train / 10k test)
//   <folder>               an image folder with train/ and test/ sub-folders, each one
//                          sub-folder per class (a folder without them is used as train and test)
// Relative folders resolve against the project's folder.

#include <filesystem>
#include <string>

#include "data/ImageDataset.h"
#include "data/ImageFolder.h"

namespace crl::data {

inline constexpr const char* kFashionMnistSource = "builtin:fashion-mnist";

/// Where Debian installs Fashion-MNIST; overridable with CRL_FASHION_MNIST_DIR (tests use it).
std::filesystem::path fashionMnistDirectory();

/// Loads both splits. Throws DataError naming the reference, the files looked for and, for a
/// missing built-in, the apt command that installs it.
DatasetSplits loadDatasetSource(const std::string& source,
                                const std::filesystem::path& projectFolder,
                                const ImageFolderOptions& options, LoadReport* report = nullptr);

}  // namespace crl::data
