#include "kernel/process/process_group.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace mcpproxy::process {
namespace {

struct StatFields {
    char state = '?';
    long pgrp = 0;
};

// Parses "pid (comm) S ppid pgrp ..." from /proc/<pid>/stat; comm may hold spaces and ')'.
bool read_stat(const char* pid_text, StatFields& out) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%s/stat", pid_text);
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    char buffer[512];
    const ssize_t n = ::read(fd, buffer, sizeof buffer - 1);
    ::close(fd);
    if (n <= 0) return false;
    buffer[n] = '\0';
    const char* close_paren = std::strrchr(buffer, ')');
    if (close_paren == nullptr) return false;
    char* cursor = nullptr;
    const char* p = close_paren + 1;
    while (*p == ' ') ++p;
    out.state = *p++;
    std::strtol(p, &cursor, 10);  // ppid
    out.pgrp = std::strtol(cursor, &cursor, 10);
    return true;
}

}  // namespace

bool signal_process_group(pid_t pgid, int signal) noexcept {
    if (pgid <= 1) return false;
    return ::kill(-pgid, signal) == 0;
}

bool process_group_has_live_members(pid_t pgid) noexcept {
    if (pgid <= 1) return false;
    if (::kill(-pgid, 0) != 0 && errno == ESRCH) return false;
    DIR* proc = ::opendir("/proc");
    if (proc == nullptr) return true;  // no /proc: trust kill()
    bool live = false;
    while (const dirent* entry = ::readdir(proc)) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
        StatFields fields;
        if (read_stat(entry->d_name, fields) && fields.pgrp == pgid && fields.state != 'Z' &&
            fields.state != 'X') {
            live = true;
            break;
        }
    }
    ::closedir(proc);
    return live;
}

}  // namespace mcpproxy::process
