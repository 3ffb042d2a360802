#pragma once
// Atomic replacement of a file: write a temporary file beside it, flush it to disk, rename it
// over the target. A crash or a failed write leaves the previous file intact.

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>

namespace crl::io {

/// Calls `write` with a stream to a temporary file, then renames it to `path`.
/// Throws UserError naming `path` when the folder is not writable or the disk is full.
void writeAtomically(const std::filesystem::path& path,
                     const std::function<void(std::ostream&)>& write);

void writeTextAtomically(const std::filesystem::path& path, const std::string& text);

}  // namespace crl::io
