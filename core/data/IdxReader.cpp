#include "data/IdxReader.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <system_error>
#include <vector>

#include <ATen/ATen.h>

#include "common/Error.h"

namespace crl::data {
namespace {

constexpr std::uint32_t kImagesMagic = 2051;  // 0x00000803: uint8, 3 dimensions
constexpr std::uint32_t kLabelsMagic = 2049;  // 0x00000801: uint8, 1 dimension

// A payload above this is a damaged header, not a data set: refuse it before allocating.
constexpr std::uint64_t kMaxPayloadBytes = std::uint64_t{1} << 31;

// gzread takes an unsigned length and returns an int; stay well inside both.
constexpr std::size_t kReadChunkBytes = std::size_t{1} << 30;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& message) {
    throw DataError(path.string() + ": " + message);
}

std::string describeMagic(std::uint32_t magic) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08X", magic);
    const std::uint32_t zeroBytes = magic >> 16;
    const std::uint32_t typeCode = (magic >> 8) & 0xFF;
    const std::uint32_t dims = magic & 0xFF;
    std::string text = std::to_string(magic) + " (" + hex;
    if (zeroBytes != 0) {
        return text + ") — this is not an IDX file";
    }
    return text + ", type code " + std::to_string(typeCode) + ", " + std::to_string(dims) +
           " dimension" + (dims == 1 ? "" : "s") + ")";
}

/// Owns a zlib file handle; gzopen reads gzip and plain files alike.
class GzFile {
public:
    explicit GzFile(const std::filesystem::path& path) : m_path(path) {
        std::error_code error;
        if (!std::filesystem::exists(path, error)) {
            fail(path, "file not found");
        }
        if (std::filesystem::is_directory(path, error)) {
            fail(path, "expected an IDX file, found a folder");
        }
        m_file = gzopen(path.c_str(), "rb");
        if (m_file == nullptr) {
            fail(path, "cannot be opened for reading (check its permissions)");
        }
    }
    ~GzFile() { gzclose(m_file); }

    GzFile(const GzFile&) = delete;
    GzFile& operator=(const GzFile&) = delete;

    /// Reads up to `count` bytes, fewer only at the end of the data; returns how many arrived.
    std::size_t read(void* buffer, std::size_t count) {
        auto* bytes = static_cast<unsigned char*>(buffer);
        std::size_t total = 0;
        while (total < count) {
            const auto chunk = static_cast<unsigned>(std::min(count - total, kReadChunkBytes));
            const int got = gzread(m_file, bytes + total, chunk);
            if (got < 0) {
                int code = 0;
                const char* reason = gzerror(m_file, &code);
                fail(m_path, std::string("the gzip data is damaged (") + reason +
                                 "); download or reinstall the file");
            }
            if (got == 0) {
                break;
            }
            total += static_cast<std::size_t>(got);
        }
        return total;
    }

    /// Counts the bytes left after the declared payload; capped so a huge tail stays cheap.
    std::uint64_t remainingBytes() {
        std::array<unsigned char, 4096> scratch{};
        std::uint64_t total = 0;
        while (total < kMaxPayloadBytes) {
            const std::size_t got = read(scratch.data(), scratch.size());
            if (got == 0) {
                break;
            }
            total += got;
        }
        return total;
    }

private:
    std::filesystem::path m_path;
    gzFile m_file = nullptr;
};

std::uint32_t bigEndian32(const unsigned char* bytes) {
    return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
           (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
}

struct IdxContents {
    std::vector<std::int64_t> sizes;
    at::Tensor data;  // uint8, shaped as `sizes`
};

/// Reads one IDX file of uint8 elements with the given magic number, checking every size.
IdxContents readIdx(const std::filesystem::path& path, std::uint32_t expectedMagic,
                    const std::string& expectedWhat, const std::string& swappedHint) {
    GzFile file(path);
    const std::size_t rank = expectedMagic & 0xFF;

    // Header: 4-byte magic, then one big-endian uint32 per dimension.
    const std::size_t headerBytes = 4 * (1 + rank);
    std::array<unsigned char, 4 * 4> header{};
    const std::size_t magicBytes = file.read(header.data(), 4);
    if (magicBytes < 4) {
        fail(path, "expected an IDX header of " + std::to_string(headerBytes) + " bytes (" +
                       expectedWhat + "), found only " + std::to_string(magicBytes) +
                       " bytes — the file is truncated or empty");
    }
    const std::uint32_t magic = bigEndian32(header.data());
    if (magic != expectedMagic) {
        std::string message = "expected the IDX magic number " + std::to_string(expectedMagic) +
                              " (" + expectedWhat + "), found " + describeMagic(magic);
        const std::uint32_t swappedMagic =
            expectedMagic == kImagesMagic ? kLabelsMagic : kImagesMagic;
        if (magic == swappedMagic) {
            message += " — " + swappedHint;
        }
        fail(path, message);
    }
    const std::size_t sizeBytes = file.read(header.data() + 4, headerBytes - 4);
    if (sizeBytes < headerBytes - 4) {
        fail(path, "expected an IDX header of " + std::to_string(headerBytes) + " bytes (" +
                       expectedWhat + "), found only " + std::to_string(4 + sizeBytes) +
                       " bytes — the file is truncated");
    }

    // Sizes: every dimension after the first must be non-empty, and the product must stay
    // below the payload limit; checked one factor at a time so it cannot overflow.
    IdxContents contents;
    std::uint64_t payloadBytes = 1;
    std::string shapeText;
    for (std::size_t d = 0; d < rank; ++d) {
        const std::uint32_t size = bigEndian32(header.data() + 4 * (d + 1));
        shapeText += (d == 0 ? "" : "×") + std::to_string(size);
        if (d > 0 && size == 0) {
            fail(path, "expected non-zero sizes after the count in the IDX header, found " +
                           std::to_string(size) + " for dimension " + std::to_string(d));
        }
        contents.sizes.push_back(static_cast<std::int64_t>(size));
        if (size != 0 && payloadBytes > kMaxPayloadBytes / size) {
            payloadBytes = kMaxPayloadBytes + 1;
        } else {
            payloadBytes *= size;
        }
    }
    if (payloadBytes > kMaxPayloadBytes) {
        fail(path, "the IDX header declares sizes " + shapeText + ", more than the " +
                       std::to_string(kMaxPayloadBytes) +
                       " bytes this reader accepts — the header is damaged or this is not " +
                       "an IDX file of " + expectedWhat);
    }

    // Payload: exactly the declared number of bytes, nothing missing and nothing extra.
    contents.data = at::empty(contents.sizes, at::kByte);
    const std::size_t got =
        file.read(contents.data.data_ptr<std::uint8_t>(), static_cast<std::size_t>(payloadBytes));
    if (got < payloadBytes) {
        fail(path, "truncated: the header declares sizes " + shapeText + ", so " +
                       std::to_string(headerBytes + payloadBytes) + " bytes were expected, " +
                       "but only " + std::to_string(headerBytes + got) +
                       " are present; download or reinstall the file");
    }
    const std::uint64_t extra = file.remainingBytes();
    if (extra > 0) {
        fail(path, "the header declares sizes " + shapeText + ", so " +
                       std::to_string(headerBytes + payloadBytes) +
                       " bytes were expected, but the file holds " + std::to_string(extra) +
                       " more; the header does not match the data");
    }
    return contents;
}

}  // namespace

at::Tensor readIdxImages(const std::filesystem::path& path) {
    IdxContents contents =
        readIdx(path, kImagesMagic, "uint8 images, 3 dimensions", "is this a labels file?");

    // (N, H, W) -> (N, 1, H, W): IDX images are single-channel.
    return contents.data.unsqueeze(1).contiguous();
}

at::Tensor readIdxLabels(const std::filesystem::path& path) {
    IdxContents contents =
        readIdx(path, kLabelsMagic, "uint8 labels, 1 dimension", "is this an images file?");
    return contents.data.to(at::kLong);
}

ImageDataset readIdxDataset(const std::filesystem::path& images,
                            const std::filesystem::path& labels) {
    ImageDataset dataset;
    dataset.images = readIdxImages(images);
    dataset.labels = readIdxLabels(labels);
    if (dataset.images.size(0) != dataset.labels.size(0)) {
        throw DataError(images.string() + " holds " + std::to_string(dataset.images.size(0)) +
                        " images but " + labels.string() + " holds " +
                        std::to_string(dataset.labels.size(0)) +
                        " labels; expected one label per image — are the two files from the "
                        "same split?");
    }

    // Generic names "0".."K-1"; a caller that knows the classes (Fashion-MNIST) replaces them.
    const std::int64_t classCount =
        dataset.labels.numel() > 0 ? dataset.labels.max().item<std::int64_t>() + 1 : 0;
    for (std::int64_t k = 0; k < classCount; ++k) {
        dataset.classNames.push_back(std::to_string(k));
    }
    dataset.origin = images.string();
    return dataset;
}

}  // namespace crl::data
