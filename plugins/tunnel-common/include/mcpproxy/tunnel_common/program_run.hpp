#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mcpproxy::tunnel_common {

struct ProgramResult {
    int exit_code = -1;  // exit status, 128 + signal, or -1 when it could not start
    std::string output;  // stdout and stderr together, capped at 64 KiB
    bool timed_out = false;
    std::string error;  // why it could not start
};

// The absolute path of program (searched on $PATH when it has no '/'), or nullopt when there is
// no executable file by that name.
std::optional<std::string> find_program(const std::string& program);

// Runs argv (argv[0] looked up like find_program) to completion for preflight checks such as
// `--version`, killing it after timeout. env is added to this process's environment.
ProgramResult run_program(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::milliseconds(10'000),
                          const std::map<std::string, std::string>& env = {});

// The first dotted version number in text ("cloudflared version 2024.8.2 (built ...)" ->
// "2024.8.2"); empty when there is none.
std::string find_version(const std::string& text);

}  // namespace mcpproxy::tunnel_common
