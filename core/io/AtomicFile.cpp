// Atomic file replacement over POSIX calls: std::ofstream cannot fsync, and a rename is only
// safe once the new contents are on disk.

#include "io/AtomicFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <random>
#include <streambuf>
#include <system_error>

#include "common/Error.h"

namespace crl::io {

namespace {

namespace fs = std::filesystem;

std::string osReason(int error) {
    return std::generic_category().message(error);
}

[[noreturn]] void failSave(const fs::path& path, const std::string& step, int error) {
    throw UserError("Could not save " + path.string() + ": " + osReason(error) + " (" + step +
                    "). Choose a folder you can write to, or free some disk space.");
}

/// An output stream buffer over a file descriptor that remembers the first write error, so
/// the caller can report the OS reason (ENOSPC, EIO) instead of a bare failbit.
class FdStreamBuf : public std::streambuf {
public:
    explicit FdStreamBuf(int fd) : m_fd(fd) {
        setp(m_buffer.data(), m_buffer.data() + m_buffer.size());
    }

    /// 0 while every write succeeded, else the errno of the first failure.
    int error() const { return m_error; }

protected:
    int_type overflow(int_type ch) override {
        if (!drain())
            return traits_type::eof();
        if (!traits_type::eq_int_type(ch, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(ch);
            pbump(1);
        }
        return traits_type::not_eof(ch);
    }

    int sync() override { return drain() ? 0 : -1; }

private:
    bool drain() {
        const char* data = pbase();
        std::size_t left = static_cast<std::size_t>(pptr() - pbase());
        while (left > 0 && m_error == 0) {
            const ssize_t written = ::write(m_fd, data, left);
            if (written < 0 && errno == EINTR)
                continue;
            if (written < 0) {
                m_error = errno;
                break;
            }
            data += written;
            left -= static_cast<std::size_t>(written);
        }
        setp(m_buffer.data(), m_buffer.data() + m_buffer.size());
        return m_error == 0;
    }

    int m_fd;
    int m_error = 0;
    std::array<char, 64 * 1024> m_buffer{};
};

/// Creates a new, uniquely named file beside `path`; O_EXCL keeps two writers apart and the
/// 0666 mode lets the umask decide permissions as it would for a plain save.
std::pair<int, fs::path> createTemporary(const fs::path& path) {
    std::random_device entropy;
    std::mt19937_64 generator(entropy());
    const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");

    for (int attempt = 0;; ++attempt) {
        // Hidden, and named after the target so a leftover from a crash explains itself.
        std::string name = ".";
        name += path.filename().string();
        name += ".tmp-";
        name += std::to_string(generator() % 1000000000);
        const fs::path candidate = folder / name;
        const int fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0)
            return {fd, candidate};
        if (errno != EEXIST || attempt == 16)
            failSave(path, "cannot create a temporary file in " + folder.string(), errno);
    }
}

/// Makes the rename itself durable; failure here is not fatal since the data is already safe.
void syncFolder(const fs::path& path) {
    const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

}  // namespace

void writeAtomically(const fs::path& path, const std::function<void(std::ostream&)>& write) {
    auto created = createTemporary(path);
    int fd = created.first;
    const fs::path temporary = std::move(created.second);

    // Any failure from here on removes the temporary file; the target has not been touched.
    auto discard = [&] {
        if (fd >= 0)
            ::close(fd);
        std::error_code ignored;
        fs::remove(temporary, ignored);
    };

    int error = 0;
    try {
        FdStreamBuf buffer(fd);
        std::ostream stream(&buffer);
        write(stream);
        stream.flush();
        error = buffer.error();
    } catch (...) {
        discard();
        throw;
    }
    if (error != 0) {
        discard();
        failSave(path, "writing " + temporary.string(), error);
    }

    if (::fsync(fd) != 0) {
        error = errno;
        discard();
        failSave(path, "flushing " + temporary.string() + " to disk", error);
    }
    if (::close(fd) != 0) {
        error = errno;
        fd = -1;
        discard();
        failSave(path, "closing " + temporary.string(), error);
    }
    fd = -1;

    std::error_code renameError;
    fs::rename(temporary, path, renameError);
    if (renameError) {
        discard();
        failSave(path, "replacing it with " + temporary.string(), renameError.value());
    }

    syncFolder(path);
}

void writeTextAtomically(const fs::path& path, const std::string& text) {
    writeAtomically(path, [&](std::ostream& stream) { stream << text; });
}

}  // namespace crl::io
