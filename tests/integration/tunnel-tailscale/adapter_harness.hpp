#pragma once

// What the tailscale and ngrok adapter tests share: the fakes first on PATH, a child process for a
// fake daemon (own process group, killed on destruction), JSON files the fakes write, and an MCP
// tool call through a fake edge.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tests/integration/tunnel/tunnel_harness.hpp"
#include "tests/support/raw_http.hpp"

namespace mcpproxy::test::adapters {

using Json = nlohmann::json;
using Headers = std::map<std::string, std::string>;

std::filesystem::path fakes_dir();
// Prepends tests/fakes to this process's PATH (children, mcpproxy included, inherit it).
void put_fakes_first_on_path();

// A program started in its own process group with extra environment, output to log_file.
class ChildProcess {
public:
    ChildProcess(const std::vector<std::string>& argv,
                 const std::map<std::string, std::string>& env,
                 const std::filesystem::path& log_file);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    [[nodiscard]] pid_t pid() const { return pid_; }
    void kill_group(int signal);  // and reap
    [[nodiscard]] std::string log() const;

private:
    pid_t pid_ = -1;
    std::filesystem::path log_file_;
};

// The process exists and is not a zombie.
bool pid_alive(pid_t pid);

// The file's JSON once check accepts it (polled), or nullopt at the deadline.
std::optional<Json> wait_json_file(const std::filesystem::path& file,
                                   const std::function<bool(const Json&)>& check,
                                   std::chrono::milliseconds deadline = std::chrono::seconds(10));

// Polls until the condition holds; false at the deadline.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds deadline = std::chrono::seconds(10));

// initialize, notifications/initialized and tools/call `tool` with `arguments` on port (the fake
// edge), with extra headers; returns the tools/call response (or the failed initialize).
HttpResponse mcp_tool_call(unsigned short port, const Headers& headers, const std::string& tool,
                           const Json& arguments);

// The first tunnel of `mcpproxy tunnel status -o json` (run on the workspace's data dir) once check
// accepts it, polled; the last one seen otherwise.
Json first_tunnel_status(const tunnel::Workspace& workspace,
                         const std::function<bool(const Json&)>& check);

// Polls GET /healthz on port until it answers status (connection errors while the proxy starts
// count as "not yet").
bool healthz_becomes(unsigned short port, int status,
                     std::chrono::milliseconds deadline = std::chrono::seconds(15));

// `mcpproxy tunnel status -o json` style facts are in the log: the lines of output containing s.
bool log_has(const std::string& log, const std::string& s);

}  // namespace mcpproxy::test::adapters
