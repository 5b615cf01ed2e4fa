#include "kernel/process/write_without_sigpipe.hpp"

#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <ctime>

namespace mcpproxy::process {
namespace {

sigset_t sigpipe_only() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    return set;
}

// The first write on a thread blocks SIGPIPE for the rest of the thread's life instead of around
// every write: two fewer system calls per message to an upstream. Nothing in mcpproxy wants the
// signal, and children start with an empty mask (launch.cpp), so they are not affected.
void block_sigpipe_on_this_thread() {
    thread_local bool blocked = false;
    if (blocked) return;
    const auto set = sigpipe_only();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    blocked = true;
}

}  // namespace

ssize_t write_without_sigpipe(int fd, const void* data, std::size_t size) noexcept {
    block_sigpipe_on_this_thread();
    ssize_t written = 0;
    do {
        written = ::write(fd, data, size);
    } while (written < 0 && errno == EINTR);
    const int error = written < 0 ? errno : 0;
    if (error == EPIPE) {
        // The blocked signal stays pending: take it, so it is never delivered later.
        const auto set = sigpipe_only();
        const timespec no_wait{};
        while (sigtimedwait(&set, nullptr, &no_wait) < 0 && errno == EINTR) {
        }
    }
    return error != 0 ? -error : written;
}

}  // namespace mcpproxy::process
