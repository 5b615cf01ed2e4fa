#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mcpproxy/sdk/visibility.hpp"

namespace mcpproxy::sdk {

struct ProcessSpec {
    std::string name;               // label for logs, e.g. "cloudflared"
    std::vector<std::string> argv;  // argv[0] is looked up on PATH when it has no '/'
    std::map<std::string, std::string>
        env;                      // added to the host's environment; values are never logged
    std::string working_dir;      // empty: the host's current directory
    bool restart_on_exit = true;  // restart with capped exponential back-off
    std::chrono::milliseconds backoff_initial{500};
    std::chrono::milliseconds backoff_max{30'000};
    std::chrono::milliseconds stop_grace{5'000};  // SIGTERM, then SIGKILL after this long
};

enum class OutputStream { stdout_stream, stderr_stream };

// Callbacks from the supervisor. Called from host threads, never concurrently for one process.
class MCPPROXY_SDK_VISIBLE ProcessEvents {
public:
    virtual ~ProcessEvents() = default;
    virtual void on_started(int /*pid*/) {}
    virtual void on_line(OutputStream /*stream*/, std::string_view /*line*/) {}
    // exit_code is the exit status, or 128 + signal number; will_restart says what happens next.
    virtual void on_exited(int /*exit_code*/, bool /*will_restart*/) {}
};

class MCPPROXY_SDK_VISIBLE SupervisedProcess {
public:
    virtual ~SupervisedProcess() = default;  // stops the process if it still runs
    virtual void stop() = 0;     // TERM the process group, KILL after the grace period; waits
    virtual void restart() = 0;  // stop, then start again at once (no back-off)
    [[nodiscard]] virtual int pid() const = 0;  // 0 when not running
    [[nodiscard]] virtual unsigned restarts() const = 0;
    [[nodiscard]] virtual bool running() const = 0;
};

// Spawns each process in its own process group, reads stdout and stderr line by line, restarts it
// after an exit, and stops it on request or when the returned object is destroyed.
class MCPPROXY_SDK_VISIBLE ProcessSupervisor {
public:
    virtual ~ProcessSupervisor() = default;
    // Throws std::runtime_error when the program cannot be found or started.
    virtual std::unique_ptr<SupervisedProcess> spawn(ProcessSpec spec,
                                                     std::shared_ptr<ProcessEvents> events) = 0;
};

}  // namespace mcpproxy::sdk
