#include "tests/integration/tunnel-cloudflared/cloudflared_harness.hpp"

#include <signal.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace mcpproxy::test::cloudflared {

std::filesystem::path fakes_dir() {
    return MCPPROXY_FAKES_DIR;
}

void put_fakes_first_on_path() {
    const std::string fakes = fakes_dir().string();
    const char* current = std::getenv("PATH");
    const std::string path = current != nullptr ? current : "/usr/bin:/bin";
    if (path.starts_with(fakes + ":")) return;
    ::setenv("PATH", (fakes + ":" + path).c_str(), 1);
}

Json tunnel_config(const std::string& plugin, const Json& plugin_config, bool require_ready) {
    return Json{{"tunnel", {{"enabled", true}, {"require_ready", require_ready}}},
                {"plugins", Json::array({"auth-agent-token",
                                         Json{{"name", plugin}, {"config", plugin_config}}})}};
}

TunnelProxy::TunnelProxy(const tunnel::Workspace& workspace, const Json& config,
                         std::vector<std::string> env)
    : state_file_(workspace.path() / "cf-state.json") {
    put_fakes_first_on_path();
    env.push_back("FAKE_CLOUDFLARED_STATE=" + state_file_.string());
    process_ = std::make_unique<ProxyProcess>(
        std::vector<std::string>{"--config", workspace.write_config(config).string(), "--log-level",
                                 "debug"},
        workspace.path(), env);
    if (!process_->started())
        throw std::runtime_error("mcpproxy did not start:\n" + process_->log());
}

Json wait_state(const std::filesystem::path& file, const std::function<bool(const Json&)>& check,
                std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
        std::ifstream in(file);
        if (in) {
            const auto j = Json::parse(in, nullptr, false);
            if (!j.is_discarded() && check(j)) return j;
        }
        std::this_thread::sleep_for(20ms);
    }
    return nullptr;
}

Json wait_tunnel(const tunnel::Workspace& workspace, const std::function<bool(const Json&)>& check,
                 std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    Json last;
    while (std::chrono::steady_clock::now() < until) {
        const auto r = workspace.cli({"tunnel", "status", "-o", "json"});
        last = Json::parse(r.out, nullptr, false);
        if (!last.is_discarded() && last.contains("tunnels") && !last["tunnels"].empty() &&
            check(last["tunnels"][0])) {
            return last;
        }
        std::this_thread::sleep_for(50ms);
    }
    return Json{{"timed_out", true}, {"last", last}};
}

bool process_alive(pid_t pid) {
    return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM);
}

std::string well_formed_token() {
    // base64 of
    // {"a":"0123456789abcdef","t":"8c2e1a3e-4f5b-4c6d-9e7f-0a1b2c3d4e5f","s":"c2VjcmV0LXNlY3JldA=="}
    return "eyJhIjoiMDEyMzQ1Njc4OWFiY2RlZiIsInQiOiI4YzJlMWEzZS00ZjViLTRjNmQtOWU3Zi0wYTFiMmMzZDRlNWY"
           "iLCJzIjoiYzJWamNtVjBMWE5sWTNKbGRBPT0ifQ==";
}

std::string command_line(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    auto text = s.str();
    for (auto& c : text) {
        if (c == '\0') c = ' ';
    }
    return text;
}

}  // namespace mcpproxy::test::cloudflared
