#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace mcpproxy::test {

// The path of the mcpproxy binary under test ($MCPPROXY_BIN, set by CTest).
std::string mcpproxy_binary();
// The build tree (the binary is <build>/bin/mcpproxy).
std::filesystem::path build_dir();
// The build tree's plugin folder.
std::filesystem::path plugin_dir();

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs mcpproxy with args to completion (for CLI commands), with a time limit.
RunResult run_mcpproxy(const std::vector<std::string>& args,
                       std::chrono::seconds limit = std::chrono::seconds(30),
                       const std::vector<std::string>& extra_env = {});

// A real mcpproxy server process started with `serve ... --port-file`, stopped on destruction.
class ProxyProcess {
public:
    // args follow "serve"; --port-file, --data-dir (when absent) and --listen 127.0.0.1:0 (when
    // absent) are added. Waits until the port file appears or the process exits.
    explicit ProxyProcess(std::vector<std::string> args, const std::filesystem::path& work_dir,
                          const std::vector<std::string>& extra_env = {});
    ~ProxyProcess();
    ProxyProcess(const ProxyProcess&) = delete;
    ProxyProcess& operator=(const ProxyProcess&) = delete;

    [[nodiscard]] bool started() const { return port_ != 0; }
    [[nodiscard]] unsigned short port() const { return port_; }
    [[nodiscard]] unsigned short port(const std::string& listener) const;
    [[nodiscard]] pid_t pid() const { return pid_; }
    [[nodiscard]] std::string log() const;  // everything written to stderr and stdout so far

    // SIGTERM and wait; returns the exit code (128+signal when killed).
    int stop(std::chrono::seconds grace = std::chrono::seconds(15));
    void kill_now();
    // Waits for the process to exit on its own; returns the exit code or -1 on timeout.
    int wait_exit(std::chrono::milliseconds limit);

private:
    pid_t pid_ = -1;
    unsigned short port_ = 0;
    std::filesystem::path port_file_;
    std::filesystem::path log_file_;
    int exit_code_ = -1;
};

}  // namespace mcpproxy::test
