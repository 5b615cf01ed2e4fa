#pragma once

#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

namespace mcpproxy::process::testing {

// True when pid no longer runs: gone, or a zombie waiting for an init that does not reap.
inline bool process_is_gone(pid_t pid) {
    if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close_paren = text.rfind(')');
    return close_paren != std::string::npos && close_paren + 2 < text.size() &&
           text[close_paren + 2] == 'Z';
}

// A signalled process outside our own children (a grandchild, reparented to init) dies when the
// scheduler gets to it, not when kill() returns: poll for it rather than race it.
inline bool gone_within(pid_t pid, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!process_is_gone(pid)) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

inline int open_fd_count() {
    int count = 0;
    DIR* dir = ::opendir("/proc/self/fd");
    while (const dirent* entry = ::readdir(dir)) {
        if (entry->d_name[0] != '.') ++count;
    }
    ::closedir(dir);
    return count - 1;  // the directory stream itself
}

// Descriptors of finished children are closed by whichever io thread drops the last reference,
// which can be a moment after the waiting test thread resumes: wait for the count to settle.
inline int open_fd_count_settled(int expected) {
    int count = open_fd_count();
    for (int i = 0; i < 200 && count != expected; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        count = open_fd_count();
    }
    return count;
}

// True when this process has no child left, reaped or not.
inline bool has_no_children() {
    return ::waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

}  // namespace mcpproxy::process::testing
