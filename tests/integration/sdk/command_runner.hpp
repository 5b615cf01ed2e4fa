#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace mcpproxy::test {

struct CommandResult {
    int exit_code = -1;  // 128 + signal when killed
    std::string output;  // stdout and stderr, interleaved
};

// Runs argv (argv[0] looked up on PATH) to completion in work_dir, stdin from /dev/null.
CommandResult run_command(const std::vector<std::string>& argv,
                          const std::filesystem::path& work_dir);

// "cmake -S a -B b" for failure messages.
std::string command_line(const std::vector<std::string>& argv);

}  // namespace mcpproxy::test
