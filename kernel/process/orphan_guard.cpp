#include "kernel/process/orphan_guard.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <ctime>
#include <mutex>
#include <set>

namespace mcpproxy::process {
namespace {

struct Message {
    std::int32_t op;  // kAdd or kRemove
    std::int32_t pgid;
};
constexpr std::int32_t kAdd = 1;
constexpr std::int32_t kRemove = 2;

constexpr std::size_t kMaxGroups = 4096;
constexpr int kGraceSteps = 50;  // x 20 ms: SIGTERM, then SIGKILL after a second

void sleep_20ms() {
    timespec t{0, 20'000'000};
    while (::nanosleep(&t, &t) != 0 && errno == EINTR) {
    }
}

bool any_alive(const pid_t* groups, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        if (::kill(-groups[i], 0) == 0) return true;
    }
    return false;
}

// Runs in the forked guard: async-signal-safe calls only (the parent may have had other threads
// holding locks at the fork), no allocation.
[[noreturn]] void guard_main(int fd) {
    ::setpgid(0, 0);  // out of the terminal's foreground group: Ctrl-C is for mcpproxy
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    for (int s :
         {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU, SIGUSR1, SIGUSR2}) {
        ::sigaction(s, &ignore, nullptr);
    }
    ::prctl(PR_SET_NAME, "mcpproxy-guard", 0, 0, 0);
    if (fd <= 2) fd = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    // Hold no other descriptor: a pipe or socket of the parent kept open here would hide its
    // death from whoever reads the other end.
    ::close_range(0, static_cast<unsigned>(fd) - 1, 0);
    ::close_range(static_cast<unsigned>(fd) + 1, ~0U, 0);
    const int null = ::open("/dev/null", O_RDWR);
    if (null == 0) {
        ::dup2(0, 1);
        ::dup2(0, 2);
    }

    static pid_t groups[kMaxGroups];
    std::size_t n = 0;
    for (;;) {
        Message m{};
        const ssize_t got = ::recv(fd, &m, sizeof m, 0);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;  // EOF: the parent is gone
        if (got != static_cast<ssize_t>(sizeof m) || m.pgid <= 1) continue;
        if (m.op == kAdd && n < kMaxGroups) {
            groups[n++] = m.pgid;
        } else if (m.op == kRemove) {
            for (std::size_t i = 0; i < n; ++i) {
                if (groups[i] == m.pgid) {
                    groups[i] = groups[--n];
                    break;
                }
            }
        }
    }
    for (std::size_t i = 0; i < n; ++i) ::kill(-groups[i], SIGTERM);
    for (int step = 0; step < kGraceSteps && any_alive(groups, n); ++step) sleep_20ms();
    for (std::size_t i = 0; i < n; ++i) ::kill(-groups[i], SIGKILL);
    ::_exit(0);
}

class Guard {
public:
    void enable() {
        std::lock_guard lock(mutex_);
        enabled_ = true;
    }

    void add(pid_t pgid) {
        std::lock_guard lock(mutex_);
        if (!enabled_ || pgid <= 1) return;
        groups_.insert(pgid);
        if (!send({kAdd, pgid})) restart();
    }

    void remove(pid_t pgid) {
        std::lock_guard lock(mutex_);
        if (!enabled_ || groups_.erase(pgid) == 0) return;
        if (!send({kRemove, pgid})) restart();
    }

    pid_t pid() {
        std::lock_guard lock(mutex_);
        return pid_;
    }

private:
    bool send(Message m) {
        if (fd_ < 0) return false;
        ssize_t sent = 0;
        do {
            sent = ::send(fd_, &m, sizeof m, MSG_NOSIGNAL);
        } while (sent < 0 && errno == EINTR);
        return sent == static_cast<ssize_t>(sizeof m);
    }

    // Starts a guard (again, when the last one was killed) and hands it every listed group.
    void restart() {
        if (fd_ >= 0) {
            ::close(fd_);
            fd_ = -1;
        }
        if (pid_ > 0) {
            ::waitpid(pid_, nullptr, WNOHANG);
            pid_ = 0;
        }
        int sv[2];
        if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) return;
        const pid_t pid = ::fork();
        if (pid < 0) {
            ::close(sv[0]);
            ::close(sv[1]);
            return;
        }
        if (pid == 0) guard_main(sv[1]);
        ::close(sv[1]);
        fd_ = sv[0];
        pid_ = pid;
        for (const pid_t g : groups_) {
            if (!send({kAdd, g})) return;
        }
    }

    std::mutex mutex_;
    bool enabled_ = false;
    int fd_ = -1;
    pid_t pid_ = 0;
    std::set<pid_t> groups_;
};

Guard& guard() {
    static Guard* instance = new Guard;  // never destroyed: children may be spawned during exit
    return *instance;
}

}  // namespace

void enable_orphan_guard() noexcept {
    guard().enable();
}

void guard_process_group(pid_t pgid) noexcept {
    try {
        guard().add(pgid);
    } catch (...) {
        // Out of memory for the set: the child then runs unguarded, as before.
    }
}

void unguard_process_group(pid_t pgid) noexcept {
    guard().remove(pgid);
}

pid_t orphan_guard_pid() noexcept {
    return guard().pid();
}

}  // namespace mcpproxy::process
