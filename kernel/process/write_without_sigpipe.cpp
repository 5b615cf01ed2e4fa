#include "kernel/process/write_without_sigpipe.hpp"

#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <ctime>

namespace mcpproxy::process {

ssize_t write_without_sigpipe(int fd, const void* data, std::size_t size) noexcept {
    sigset_t sigpipe_only;
    sigemptyset(&sigpipe_only);
    sigaddset(&sigpipe_only, SIGPIPE);
    sigset_t previous;
    pthread_sigmask(SIG_BLOCK, &sigpipe_only, &previous);
    ssize_t written = 0;
    do {
        written = ::write(fd, data, size);
    } while (written < 0 && errno == EINTR);
    const int error = written < 0 ? errno : 0;
    if (error == EPIPE && !sigismember(&previous, SIGPIPE)) {
        const timespec no_wait{};
        while (sigtimedwait(&sigpipe_only, nullptr, &no_wait) < 0 && errno == EINTR) {
        }
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return error != 0 ? -error : written;
}

}  // namespace mcpproxy::process
