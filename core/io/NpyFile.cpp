#include "io/NpyFile.h"

#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include <ATen/ATen.h>

#include "common/Error.h"
#include "io/AtomicFile.h"

namespace crl::io {
namespace {

constexpr char kMagic[] = "\x93NUMPY";

std::string dtypeCode(const at::Tensor& tensor) {
    switch (tensor.scalar_type()) {
        case at::kFloat:
            return "<f4";
        case at::kDouble:
            return "<f8";
        case at::kLong:
            return "<i8";
        case at::kInt:
            return "<i4";
        default:
            throw UserError("cannot write a tensor of type " +
                            std::string(c10::toString(tensor.scalar_type())) + " as .npy");
    }
}

}  // namespace

void writeNpy(const std::filesystem::path& path, const at::Tensor& input) {
    at::Tensor tensor = input.to(at::kCPU).contiguous();
    std::string shape = "(";
    for (std::int64_t size : tensor.sizes()) {
        shape += std::to_string(size) + ",";
        if (tensor.dim() > 1) {
            shape += " ";
        }
    }
    if (tensor.dim() > 1) {
        shape.resize(shape.size() - 2);
    }
    shape += ")";
    std::string header =
        "{'descr': '" + dtypeCode(tensor) + "', 'fortran_order': False, 'shape': " + shape + ", }";

    // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64.
    const std::size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';

    writeAtomically(path, [&](std::ostream& out) {
        out.write(kMagic, 6);
        out.put('\x01');
        out.put('\x00');
        const auto length = static_cast<std::uint16_t>(header.size());
        out.put(static_cast<char>(length & 0xFF));
        out.put(static_cast<char>(length >> 8));
        out << header;
        out.write(static_cast<const char*>(tensor.data_ptr()),
                  static_cast<std::streamsize>(tensor.nbytes()));
    });
}

at::Tensor readNpy(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw DataError(path.string() + " cannot be opened");
    }
    char magic[8] = {};
    in.read(magic, 8);
    if (!in || std::memcmp(magic, kMagic, 6) != 0) {
        throw DataError(path.string() +
                        " is not a NumPy .npy file (the magic string \\x93NUMPY is missing)");
    }
    std::uint32_t headerLength = 0;
    if (magic[6] == 1) {
        unsigned char bytes[2];
        in.read(reinterpret_cast<char*>(bytes), 2);
        headerLength = bytes[0] | (bytes[1] << 8);
    } else {
        unsigned char bytes[4];
        in.read(reinterpret_cast<char*>(bytes), 4);
        headerLength = bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) |
                       (static_cast<std::uint32_t>(bytes[3]) << 24);
    }
    if (!in || headerLength > 1 << 20) {
        throw DataError(path.string() + ": the .npy header is truncated or too long");
    }
    std::string header(headerLength, '\0');
    in.read(header.data(), headerLength);

    std::smatch match;
    if (!std::regex_search(header, match, std::regex("'descr':\\s*'([<|=]?)([fi])(\\d)'"))) {
        throw DataError(path.string() + ": unsupported dtype in header " + header +
                        "; use float32/64 or int32/64");
    }
    const std::string kind = match[2].str() + match[3].str();
    at::ScalarType type = kind == "f4"   ? at::kFloat
                          : kind == "f8" ? at::kDouble
                          : kind == "i8" ? at::kLong
                          : kind == "i4" ? at::kInt
                                         : at::kByte;
    if (type == at::kByte) {
        throw DataError(path.string() + ": unsupported dtype " + kind +
                        "; use float32/64 or int32/64");
    }
    if (header.find("'fortran_order': True") != std::string::npos) {
        throw DataError(
            path.string() +
            ": Fortran-ordered arrays are not supported; save with np.ascontiguousarray");
    }
    std::vector<std::int64_t> shape;
    if (std::regex_search(header, match, std::regex("'shape':\\s*\\(([^)]*)\\)"))) {
        std::stringstream dims(match[1].str());
        std::string item;
        while (std::getline(dims, item, ',')) {
            if (item.find_first_not_of(' ') != std::string::npos) {
                shape.push_back(std::stoll(item));
            }
        }
    }

    at::Tensor tensor = at::empty(shape, type);
    in.read(static_cast<char*>(tensor.data_ptr()), static_cast<std::streamsize>(tensor.nbytes()));
    if (in.gcount() != static_cast<std::streamsize>(tensor.nbytes())) {
        throw DataError(path.string() + ": expected " + std::to_string(tensor.nbytes()) +
                        " bytes of data, found " + std::to_string(in.gcount()) +
                        "; the file is truncated");
    }
    return tensor;
}

}  // namespace crl::io
