#include "tests/integration/tunnel-tailscale/adapter_harness.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace mcpproxy::test::adapters {
namespace http = boost::beast::http;

std::filesystem::path fakes_dir() {
    return MCPPROXY_FAKES_DIR;
}

void put_fakes_first_on_path() {
    const std::string fakes = fakes_dir().string();
    const char* path = std::getenv("PATH");
    std::string current = path != nullptr ? path : "/usr/bin:/bin";
    if (current.rfind(fakes + ":", 0) == 0) return;
    ::setenv("PATH", (fakes + ":" + current).c_str(), 1);
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const std::map<std::string, std::string>& env,
                           const std::filesystem::path& log_file)
    : log_file_(log_file) {
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::setpgid(0, 0);
        const int fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            ::dup2(fd, 1);
            ::dup2(fd, 2);
        }
        for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    ::setpgid(pid_, pid_);
}

ChildProcess::~ChildProcess() {
    kill_group(SIGKILL);
}

void ChildProcess::kill_group(int signal) {
    if (pid_ <= 0) return;
    ::kill(-pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

std::string ChildProcess::log() const {
    std::ifstream in(log_file_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

bool pid_alive(pid_t pid) {
    if (pid <= 0 || ::kill(pid, 0) != 0) return false;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    const auto paren = line.rfind(')');
    return paren == std::string::npos || line.size() < paren + 3 || line[paren + 2] != 'Z';
}

std::optional<Json> wait_json_file(const std::filesystem::path& file,
                                   const std::function<bool(const Json&)>& check,
                                   std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
        std::ifstream in(file);
        if (in) {
            std::stringstream s;
            s << in.rdbuf();
            auto j = Json::parse(s.str(), nullptr, false);
            if (!j.is_discarded() && check(j)) return j;
        }
        if (std::chrono::steady_clock::now() >= until) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
}

HttpResponse mcp_tool_call(unsigned short port, const Headers& headers, const std::string& tool,
                           const Json& arguments) {
    auto h = headers;
    h["Content-Type"] = "application/json";
    h["Accept"] = "application/json, text/event-stream";
    const Json init{{"jsonrpc", "2.0"},
                    {"id", 1},
                    {"method", "initialize"},
                    {"params",
                     {{"protocolVersion", "2025-06-18"},
                      {"capabilities", Json::object()},
                      {"clientInfo", {{"name", "adapter-test"}, {"version", "1"}}}}}};
    auto r = http_request(port, http::verb::post, "/mcp", h, init.dump());
    if (r.result_int() != 200) return r;
    h["Mcp-Session-Id"] = std::string(r["Mcp-Session-Id"]);
    h["MCP-Protocol-Version"] = "2025-06-18";
    http_request(port, http::verb::post, "/mcp", h,
                 Json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}.dump());
    const Json call{{"jsonrpc", "2.0"},
                    {"id", 2},
                    {"method", "tools/call"},
                    {"params", {{"name", tool}, {"arguments", arguments}}}};
    return http_request(port, http::verb::post, "/mcp", h, call.dump());
}

bool healthz_becomes(unsigned short port, int status, std::chrono::milliseconds deadline) {
    return eventually(
        [&] {
            try {
                return http_request(port, http::verb::get, "/healthz", {}, {},
                                    std::chrono::seconds(2))
                           .result_int() == static_cast<unsigned>(status);
            } catch (const std::exception&) {
                return false;
            }
        },
        deadline);
}

Json first_tunnel_status(const tunnel::Workspace& workspace,
                         const std::function<bool(const Json&)>& check) {
    Json last;
    eventually([&] {
        const auto r = workspace.cli({"tunnel", "status", "-o", "json"});
        const auto doc = Json::parse(r.out, nullptr, false);
        if (doc.is_discarded() || !doc.contains("tunnels") || doc["tunnels"].empty()) return false;
        last = doc["tunnels"][0];
        return check(last);
    });
    return last;
}

bool log_has(const std::string& log, const std::string& s) {
    return log.find(s) != std::string::npos;
}

}  // namespace mcpproxy::test::adapters
