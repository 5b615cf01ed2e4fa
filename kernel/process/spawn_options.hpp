#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace mcpproxy::process {

// What the child gets on one of its standard streams.
enum class Stdio {
    pipe,     // a pipe to this process (stdin: we write; stdout/stderr: we read lines)
    null,     // /dev/null
    inherit,  // this process's own stream
};

struct SpawnOptions {
    std::vector<std::string> argv;           // argv[0] is looked up on PATH when it has no '/'
    std::map<std::string, std::string> env;  // added to the inherited environment; never logged
    std::string working_dir;                 // empty: this process's current directory
    Stdio stdin_mode = Stdio::pipe;
    Stdio stdout_mode = Stdio::pipe;
    Stdio stderr_mode = Stdio::pipe;
    std::size_t max_stdout_line = std::size_t{16} << 20;  // longer lines are truncated
    std::size_t max_stderr_line = std::size_t{64} << 10;
};

}  // namespace mcpproxy::process
