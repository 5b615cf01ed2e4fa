#include "tests/integration/mcp/mcp_proxy.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/raw_http.hpp"

namespace mcpproxy::test {
namespace http = boost::beast::http;

namespace {

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The parent pid from /proc/PID/stat ("pid (comm) state ppid ..."; comm may hold spaces).
pid_t parent_of(const std::filesystem::path& proc_dir) {
    const std::string stat = read_text(proc_dir / "stat");
    const auto close = stat.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream rest(stat.substr(close + 1));
    std::string state;
    pid_t ppid = -1;
    rest >> state >> ppid;
    return ppid;
}

bool readyz_ok(unsigned short port) {
    try {
        return http_request(port, http::verb::get, "/readyz", {}, {}, std::chrono::seconds(2))
                   .result_int() == 200;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

std::string stdio_upstream_binary() {
    return MCPPROXY_TEST_STDIO_UPSTREAM;
}

McpProxy::McpProxy(McpProxyOptions options) {
    nlohmann::json servers = nlohmann::json::array();
    for (const auto& name : options.upstreams) {
        servers.push_back({{"name", name}, {"command", stdio_upstream_binary()}, {"args", {name}}});
    }
    std::string config = R"({"listen": "127.0.0.1:0", "shutdown_timeout": "5s", "routing_mode": )" +
                         nlohmann::json(options.routing_mode).dump() + R"(, "mcpServers": )" +
                         servers.dump();
    if (!options.extra_config.empty()) config += ", " + options.extra_config;
    config += "}";
    dir_.write("config.json", config);
    proxy_ = std::make_unique<ProxyProcess>(
        std::vector<std::string>{"--config", (dir_ / "config.json").string()}, dir_.path());
    if (!proxy_->started()) return;
    ready_ = eventually([this] { return readyz_ok(proxy_->port()); }, std::chrono::seconds(20));
}

std::vector<pid_t> McpProxy::upstream_pids(const std::string& server) const {
    std::vector<pid_t> pids;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const auto name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        if (parent_of(entry.path()) != proxy_->pid()) continue;
        std::string cmdline = read_text(entry.path() / "cmdline");
        for (auto& c : cmdline) {
            if (c == '\0') c = ' ';
        }
        if (cmdline.find(stdio_upstream_binary() + " " + server + " ") == std::string::npos)
            continue;
        pids.push_back(static_cast<pid_t>(std::stoi(name)));
    }
    return pids;
}

}  // namespace mcpproxy::test
