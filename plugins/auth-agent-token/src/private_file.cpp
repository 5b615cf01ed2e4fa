#include "private_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace mcpproxy::agent_token {
namespace {

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) noexcept : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    [[nodiscard]] int get() const noexcept { return fd_; }

private:
    int fd_;
};

}  // namespace

std::string errno_message(const std::string& what) {
    const int e = errno;
    return what + ": " + std::strerror(e);
}

std::string octal_mode(mode_t mode) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777U));
    return buf;
}

void ensure_private_dir(const std::filesystem::path& dir) {
    if (::mkdir(dir.c_str(), 0700) == 0) {
        if (::chmod(dir.c_str(), 0700) != 0)
            throw std::runtime_error(errno_message("chmod " + dir.string()));
        return;
    }
    if (errno != EEXIST) throw std::runtime_error(errno_message("cannot create " + dir.string()));
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        throw std::runtime_error(dir.string() + " exists but is not a directory");
    }
}

void ensure_private_file(const std::filesystem::path& file) {
    // An existing file is never opened here: closing any descriptor of it would release every
    // POSIX lock this process holds on it, SQLite's included (the store is opened per request
    // next to long-lived connections), and another process would then delete the WAL under them.
    struct stat st {};
    if (::lstat(file.c_str(), &st) != 0) {
        if (errno != ENOENT)
            throw std::runtime_error(errno_message("cannot stat " + file.string()));
        // A brand-new inode: no connection can hold a lock on it yet.
        FileDescriptor fd(
            ::open(file.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
        if (fd.get() >= 0) {
            if (::fchmod(fd.get(), 0600) != 0)
                throw std::runtime_error(errno_message("cannot set mode 0600 on " + file.string()));
            return;
        }
        if (errno != EEXIST)
            throw std::runtime_error(errno_message("cannot open " + file.string()));
        if (::lstat(file.c_str(), &st) != 0)  // someone else created it first
            throw std::runtime_error(errno_message("cannot stat " + file.string()));
    }
    if (S_ISLNK(st.st_mode)) throw std::runtime_error(file.string() + " is a symbolic link");
    if (!S_ISREG(st.st_mode)) throw std::runtime_error(file.string() + " is not a regular file");
    if ((st.st_mode & 07777U) != 0600 && ::chmod(file.c_str(), 0600) != 0) {
        throw std::runtime_error(errno_message("cannot set mode 0600 on " + file.string()));
    }
}

void sync_directory(const std::filesystem::path& dir) {
    FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
        throw std::runtime_error(errno_message("cannot sync directory " + dir.string()));
    }
}

}  // namespace mcpproxy::agent_token
