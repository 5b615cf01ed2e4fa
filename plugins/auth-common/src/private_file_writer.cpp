#include "private_file_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>

namespace mcpproxy::auth_common {
namespace {

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

void write_all(int fd, std::string_view data, const std::string& path) {
    while (!data.empty()) {
        const auto n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot write " + path);
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view contents,
                           unsigned mode) {
    const auto dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    std::random_device rd;
    const auto temp = dir / ("." + path.filename().string() + ".tmp" + std::to_string(rd()));
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) fail("cannot create " + temp.string());
    try {
        if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) fail("cannot chmod " + temp.string());
        write_all(fd, contents, temp.string());
        if (::fsync(fd) != 0) fail("cannot sync " + temp.string());
    } catch (...) {
        ::close(fd);
        ::unlink(temp.c_str());
        throw;
    }
    ::close(fd);
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const int e = errno;
        ::unlink(temp.c_str());
        errno = e;
        fail("cannot rename onto " + path.string());
    }
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

}  // namespace mcpproxy::auth_common
