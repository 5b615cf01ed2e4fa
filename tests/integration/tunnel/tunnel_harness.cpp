#include "tests/integration/tunnel/tunnel_harness.hpp"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace mcpproxy::test::tunnel {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

unsigned short pick_free_port() {
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    return acceptor.local_endpoint().port();
}

bool port_is_free(unsigned short port) {
    asio::io_context io;
    const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
    boost::system::error_code ec;
    tcp::socket probe(io);
    probe.connect(endpoint, ec);
    if (!ec) return false;  // something accepted the connection
    tcp::acceptor acceptor(io);
    acceptor.open(endpoint.protocol(), ec);
    acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    acceptor.bind(endpoint, ec);
    return !ec;
}

std::vector<std::string> error_lines(const std::string& output) {
    std::vector<std::string> lines;
    std::istringstream in(output);
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with("mcpproxy: ")) lines.push_back(line);
    }
    return lines;
}

std::size_t count_lines_with(const std::string& output, const std::string& needle) {
    std::size_t n = 0;
    std::istringstream in(output);
    for (std::string line; std::getline(in, line);) {
        if (line.find(needle) != std::string::npos) ++n;
    }
    return n;
}

Workspace::Workspace() = default;

std::string Workspace::data_dir() const {
    return (dir_.path() / "data").string();
}

RunResult Workspace::cli(std::vector<std::string> args) const {
    args.insert(args.end(), {"--data-dir", data_dir()});
    return run_mcpproxy(args);
}

std::string Workspace::create_token(const std::string& name, std::vector<std::string> extra) const {
    std::vector<std::string> args{"token", "create", "--name", name, "-o", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = cli(args);
    if (r.exit_code != 0) throw std::runtime_error("token create " + name + " failed: " + r.err);
    return Json::parse(r.out).at("token").get<std::string>();
}

std::filesystem::path Workspace::write_config(const Json& extra) const {
    Json config{{"listen", "127.0.0.1:0"},
                {"data_dir", data_dir()},
                {"plugins", Json::array({"auth-agent-token"})},
                {"log_level", "info"}};
    config.update(extra);
    dir_.write("config.json", config.dump(2));
    return dir_.path() / "config.json";
}

RunResult Workspace::serve_to_completion(const Json& config, std::vector<std::string> args) const {
    std::vector<std::string> all{"serve", "--config", write_config(config).string(), "--port-file",
                                 (dir_.path() / "refused-ports.json").string()};
    all.insert(all.end(), args.begin(), args.end());
    return run_mcpproxy(all, std::chrono::seconds(20));
}

RunningProxy::RunningProxy(const Workspace& workspace, const Json& config) {
    process_ = std::make_unique<ProxyProcess>(
        std::vector<std::string>{"--config", workspace.write_config(config).string()},
        workspace.path());
    if (!process_->started())
        throw std::runtime_error("mcpproxy did not start:\n" + process_->log());
}

void RunningProxy::wait_ready(std::chrono::seconds limit) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (http_request(main_port(), http::verb::get, "/healthz").result_int() == 200) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("mcpproxy did not become ready:\n" + log());
}

HttpResponse management(unsigned short port, http::verb method, const std::string& path,
                        const std::string& key, const std::string& body) {
    Headers headers;
    if (!key.empty()) headers["Authorization"] = "Bearer " + key;
    if (!body.empty()) headers["Content-Type"] = "application/json";
    return http_request(port, method, path, headers, body);
}

std::string admin_key(const Workspace& workspace) {
    const auto r = workspace.cli({"admin-key", "show"});
    if (r.exit_code != 0) throw std::runtime_error("admin-key show failed: " + r.err);
    auto key = r.out;
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
    return key;
}

namespace {

Json initialize_message() {
    return Json{{"jsonrpc", "2.0"},
                {"id", 1},
                {"method", "initialize"},
                {"params",
                 {{"protocolVersion", "2025-06-18"},
                  {"capabilities", Json::object()},
                  {"clientInfo", {{"name", "tunnel-integration-test"}, {"version", "1"}}}}}};
}

Headers mcp_headers(Headers headers) {
    headers["Content-Type"] = "application/json";
    headers["Accept"] = "application/json, text/event-stream";
    return headers;
}

}  // namespace

HttpResponse mcp_initialize(unsigned short port, const Headers& headers) {
    return http_request(port, http::verb::post, "/mcp", mcp_headers(headers),
                        initialize_message().dump());
}

HttpResponse mcp_list_tools(unsigned short port, const Headers& headers) {
    const auto init = mcp_initialize(port, headers);
    if (init.result_int() != 200) return init;
    auto session = mcp_headers(headers);
    session["Mcp-Session-Id"] = std::string(init["Mcp-Session-Id"]);
    session["MCP-Protocol-Version"] = "2025-06-18";
    http_request(port, http::verb::post, "/mcp", session,
                 Json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}.dump());
    return http_request(port, http::verb::post, "/mcp", session,
                        Json{{"jsonrpc", "2.0"}, {"id", 2}, {"method", "tools/list"}}.dump());
}

Headers bearer(const std::string& secret) {
    return {{"Authorization", "Bearer " + secret}};
}

HttpResponse poll_until(const std::function<HttpResponse()>& request,
                        const std::function<bool(const HttpResponse&)>& check,
                        std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
        auto response = request();
        if (check(response) || std::chrono::steady_clock::now() >= until) return response;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

Json poll_activity(unsigned short management_port, const std::string& key, const std::string& query,
                   const std::function<bool(const Json&)>& done,
                   std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    Json records = Json::array();
    for (;;) {
        const auto r =
            management(management_port, http::verb::get, "/api/v1/activity?" + query, key);
        if (r.result_int() == 200)
            records = Json::parse(r.body());
        else
            ADD_FAILURE() << "GET /api/v1/activity: " << r.result_int() << " " << r.body();
        if (done(records) || std::chrono::steady_clock::now() >= until) return records;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

}  // namespace mcpproxy::test::tunnel
