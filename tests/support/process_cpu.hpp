#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace mcpproxy::test {

// CPU time (user + system) a running process has used so far, from /proc/<pid>/stat; for "it does
// not spin" checks.
inline std::chrono::milliseconds cpu_time(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    const std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto paren = stat.rfind(')');
    if (paren == std::string::npos) return std::chrono::milliseconds(0);
    std::istringstream fields(stat.substr(paren + 2));  // from field 3 (state)
    std::string skip;
    for (int field = 3; field < 14; ++field) fields >> skip;
    long utime = 0;
    long stime = 0;
    fields >> utime >> stime;
    return std::chrono::milliseconds((utime + stime) * 1000 / ::sysconf(_SC_CLK_TCK));
}

}  // namespace mcpproxy::test
