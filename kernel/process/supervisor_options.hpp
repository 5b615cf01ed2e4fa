#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string_view>

namespace mcpproxy::process {

struct SupervisorOptions {
    // A run that lasted this long resets the restart back-off to its initial delay.
    std::chrono::milliseconds backoff_reset_after{30'000};
    // After the process has exited (and its group has been tidied), how long to wait for the rest
    // of its output before reporting the exit.
    std::chrono::milliseconds output_drain{500};
    std::size_t max_stdout_line = std::size_t{16} << 20;
    std::size_t max_stderr_line = std::size_t{64} << 10;
    // The supervisor's own remarks (restart scheduled, start failed, line truncated, a callback
    // threw), with the process name. Called on the process's strand; texts hold no env values.
    std::function<void(std::string_view process_name, std::string_view message)> diagnostics;
};

}  // namespace mcpproxy::process
