#pragma once

#include <string>

namespace mcpproxy::util {

// Names the calling thread as `top -H`, `ps -L`, gdb and perf show it (the kernel keeps 15
// characters; longer names are cut). Best effort: a failure changes nothing else.
void name_this_thread(const std::string& name);

// The calling thread's name; empty when it cannot be read.
[[nodiscard]] std::string this_thread_name();

}  // namespace mcpproxy::util
