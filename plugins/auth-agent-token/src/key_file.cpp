#include "key_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <stdexcept>
#include <string>
#include <utility>

#include "private_file.hpp"
#include "secure_random.hpp"

namespace mcpproxy::agent_token {
namespace {

class FdCloser {
public:
    explicit FdCloser(int fd) noexcept : fd_(fd) {}
    ~FdCloser() {
        if (fd_ >= 0) ::close(fd_);
    }
    FdCloser(const FdCloser&) = delete;
    FdCloser& operator=(const FdCloser&) = delete;
    [[nodiscard]] int get() const noexcept { return fd_; }
    int release() noexcept { return std::exchange(fd_, -1); }

private:
    int fd_;
};

// Secret bytes on the stack are wiped on every exit path.
struct WipedBuffer {
    std::array<unsigned char, kKeyBytes> bytes{};
    ~WipedBuffer() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

bool read_exact(int fd, unsigned char* out, std::size_t n) {
    std::size_t done = 0;
    while (done < n) {
        const ssize_t r = ::read(fd, out + done, n - done);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return false;
        done += static_cast<std::size_t>(r);
    }
    return true;
}

bool write_all(int fd, const unsigned char* data, std::size_t n) {
    std::size_t done = 0;
    while (done < n) {
        const ssize_t w = ::write(fd, data + done, n - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        done += static_cast<std::size_t>(w);
    }
    return true;
}

std::filesystem::path temp_name_for(const std::filesystem::path& file) {
    std::array<unsigned char, 8> salt{};
    fill_random(salt);
    std::string suffix;
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned char b : salt) {
        suffix.push_back(kHex[b >> 4U]);
        suffix.push_back(kHex[b & 0x0FU]);
    }
    return file.parent_path() / ("." + file.filename().string() + ".tmp-" + suffix);
}

void create_key_file(const std::filesystem::path& file) {
    const auto temp = temp_name_for(file);
    FdCloser fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() < 0) throw std::runtime_error(errno_message("cannot create " + temp.string()));
    try {
        if (::fchmod(fd.get(), 0600) != 0)
            throw std::runtime_error(errno_message("chmod " + temp.string()));
        WipedBuffer key;
        fill_random(key.bytes);
        if (!write_all(fd.get(), key.bytes.data(), key.bytes.size()) || ::fsync(fd.get()) != 0) {
            throw std::runtime_error(errno_message("cannot write " + temp.string()));
        }
        if (::close(fd.release()) != 0)
            throw std::runtime_error(errno_message("close " + temp.string()));
        // link() fails with EEXIST instead of replacing: whoever created the key first wins.
        if (::link(temp.c_str(), file.c_str()) != 0 && errno != EEXIST) {
            throw std::runtime_error(errno_message("cannot install " + file.string()));
        }
    } catch (...) {
        ::unlink(temp.c_str());
        throw;
    }
    ::unlink(temp.c_str());
    sync_directory(file.parent_path());
}

}  // namespace

std::optional<TokenKey> read_key_file(const std::filesystem::path& file) {
    FdCloser fd(::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ENOENT) return std::nullopt;
        if (errno == ELOOP)
            throw std::runtime_error(file.string() +
                                     " is a symbolic link; the key file must be a regular file");
        throw std::runtime_error(errno_message("cannot open " + file.string()));
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        throw std::runtime_error(errno_message("stat " + file.string()));
    if (!S_ISREG(st.st_mode)) throw std::runtime_error(file.string() + " is not a regular file");
    if ((st.st_mode & 077U) != 0) {
        throw std::runtime_error(
            file.string() + " has mode " + octal_mode(st.st_mode) +
            "; the key file must be readable by its owner only. Fix it with: chmod 600 " +
            file.string());
    }
    if (st.st_size != static_cast<off_t>(kKeyBytes)) {
        throw std::runtime_error(file.string() + " is " + std::to_string(st.st_size) +
                                 " bytes, expected " + std::to_string(kKeyBytes) +
                                 "; it is damaged. Restore it from a backup");
    }
    WipedBuffer key;
    if (!read_exact(fd.get(), key.bytes.data(), key.bytes.size())) {
        throw std::runtime_error(errno_message("cannot read " + file.string()));
    }
    return TokenKey(key.bytes);
}

TokenKey load_or_create_key_file(const std::filesystem::path& file) {
    if (auto key = read_key_file(file)) return *key;
    create_key_file(file);
    if (auto key = read_key_file(file)) return *key;
    throw std::runtime_error(file.string() + " vanished right after it was created");
}

}  // namespace mcpproxy::agent_token
