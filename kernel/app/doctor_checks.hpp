#pragma once

#include <string>
#include <vector>

#include "kernel/app/effective_config.hpp"

namespace mcpproxy::app {

enum class CheckStatus { ok, warn, fail };

// One finding of `mcpproxy doctor`: what was checked, what was found, and in plain words what to
// do.
struct CheckResult {
    std::string check;  // "config", "data_dir", "plugin:NAME", "upstream:NAME", "tunnel", "tls",
                        // "port:LISTENER"
    CheckStatus status = CheckStatus::ok;
    std::string detail;
    std::string fix;            // empty when there is nothing to do
    long long elapsed_ms = -1;  // for checks that take time (upstream start + initialize)
    std::string version;        // a tunnel daemon's version, when it reported one
    std::string path;           // a tunnel daemon's binary, when the adapter told it
};

std::string_view to_string(CheckStatus status);

// Runs every check; `progress` is told the name of each check as it starts (may be empty).
std::vector<CheckResult> run_doctor_checks(const CliOverrides& cli,
                                           const std::function<void(const std::string&)>& progress);

}  // namespace mcpproxy::app
