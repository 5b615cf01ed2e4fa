#pragma once

// What the cloudflared/anthropic tests share: the fake cloudflared first on PATH, a proxy in tunnel
// mode with the adapter loaded, the fake's state file, `tunnel status -o json`, polling helpers.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tests/integration/tunnel/tunnel_harness.hpp"

namespace mcpproxy::test::cloudflared {

using tunnel::Json;
using namespace std::chrono_literals;

// Puts tests/fakes first on this process's PATH (children inherit it). Idempotent.
void put_fakes_first_on_path();
std::filesystem::path fakes_dir();

// {"tunnel": {"enabled", "require_ready"}, "plugins": ["auth-agent-token", {name, config}]}.
Json tunnel_config(const std::string& plugin, const Json& plugin_config, bool require_ready = true);

// A running proxy whose cloudflared writes its state to <workspace>/cf-state.json.
class TunnelProxy {
public:
    TunnelProxy(const tunnel::Workspace& workspace, const Json& config,
                std::vector<std::string> env = {});
    [[nodiscard]] ProxyProcess& process() { return *process_; }
    [[nodiscard]] unsigned short port() const { return process_->port(); }
    [[nodiscard]] std::string log() const { return process_->log(); }
    [[nodiscard]] const std::filesystem::path& state_file() const { return state_file_; }

private:
    std::filesystem::path state_file_;
    std::unique_ptr<ProxyProcess> process_;
};

// The fake's state file once check(state) holds (null JSON after the deadline).
Json wait_state(const std::filesystem::path& file, const std::function<bool(const Json&)>& check,
                std::chrono::milliseconds deadline = 10s);
// `mcpproxy tunnel status -o json` once check(first tunnel entry) holds; the whole document.
Json wait_tunnel(const tunnel::Workspace& workspace, const std::function<bool(const Json&)>& check,
                 std::chrono::milliseconds deadline = 10s);
bool process_alive(pid_t pid);
// A well-formed named-tunnel token (base64 of {"a","t","s"}).
std::string well_formed_token();
// The whole command line of a running process (NUL-separated args joined by spaces).
std::string command_line(pid_t pid);

}  // namespace mcpproxy::test::cloudflared
