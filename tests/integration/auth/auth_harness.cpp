#include "tests/integration/auth/auth_harness.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace mcpproxy::test::auth {
namespace http = boost::beast::http;

std::string upstream_binary() {
    return AUTH_TEST_UPSTREAM;
}

AuthProxy::AuthProxy(ProxySettings settings) : settings_(std::move(settings)) {
    std::filesystem::create_directories(dir_.path() / "data");
}

std::string AuthProxy::data_dir() const {
    return (dir_.path() / "data").string();
}

RunResult AuthProxy::cli(std::vector<std::string> args) const {
    args.insert(args.end(), {"--data-dir", data_dir()});
    return run_mcpproxy(args);
}

std::string AuthProxy::create_token(const std::string& name, std::vector<std::string> extra) const {
    std::vector<std::string> args{"token", "create", "--name", name, "-o", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = cli(args);
    if (r.exit_code != 0) {
        ADD_FAILURE() << "token create " << name << " failed: " << r.err;
        return {};
    }
    return Json::parse(r.out).at("token").get<std::string>();
}

void AuthProxy::start() {
    Json servers = Json::array();
    for (const auto& name : settings_.servers) {
        servers.push_back({{"name", name}, {"command", upstream_binary()}});
    }
    Json config{{"listen", "127.0.0.1:0"},
                {"routing_mode", settings_.routing_mode},
                {"plugins", {"auth-agent-token"}},
                {"log_level", "debug"},
                {"mcpServers", servers}};
    if (!settings_.rate_limits.is_null()) config["rate_limits"] = settings_.rate_limits;
    if (settings_.extra.is_object()) config.update(settings_.extra);
    dir_.write("config.json", config.dump(2));
    proxy_.reset();  // a restart reuses the data dir
    proxy_ = std::make_unique<ProxyProcess>(
        std::vector<std::string>{"--config", (dir_.path() / "config.json").string()}, dir_.path());
    if (!proxy_->started()) throw std::runtime_error("mcpproxy did not start:\n" + proxy_->log());
    // The upstreams connect in the background; /healthz turns 200 once they have settled (and,
    // unlike /readyz, it is served on a tunneled listener too).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
        const auto r = http_request(port(), http::verb::get, "/healthz");
        if (r.result_int() == 200) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("mcpproxy did not become ready:\n" + proxy_->log());
}

McpSession::McpSession(unsigned short port, Headers credentials, std::string target)
    : port_(port), credentials_(std::move(credentials)), target_(std::move(target)) {}

HttpResponse McpSession::post(const Json& message, const Headers& extra) const {
    Headers headers = credentials_;
    headers["Content-Type"] = "application/json";
    headers["Accept"] = "application/json, text/event-stream";
    if (!session_id_.empty()) {
        headers["Mcp-Session-Id"] = session_id_;
        headers["MCP-Protocol-Version"] = "2025-06-18";
    }
    for (const auto& [k, v] : extra) headers[k] = v;
    return http_request(port_, http::verb::post, target_, headers, message.dump());
}

HttpResponse McpSession::initialize() {
    const Json init{{"jsonrpc", "2.0"},
                    {"id", next_id_->fetch_add(1)},
                    {"method", "initialize"},
                    {"params",
                     {{"protocolVersion", "2025-06-18"},
                      {"capabilities", Json::object()},
                      {"clientInfo", {{"name", "auth-integration-test"}, {"version", "1"}}}}}};
    auto response = post(init);
    if (response.result_int() == 200) {
        session_id_ = std::string(response["Mcp-Session-Id"]);
        post(Json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
    }
    return response;
}

HttpResponse McpSession::call_tool(const std::string& name, const Json& arguments) const {
    return post(Json{{"jsonrpc", "2.0"},
                     {"id", next_id_->fetch_add(1)},
                     {"method", "tools/call"},
                     {"params", {{"name", name}, {"arguments", arguments}}}});
}

HttpResponse McpSession::list_tools() const {
    return post(Json{{"jsonrpc", "2.0"}, {"id", next_id_->fetch_add(1)}, {"method", "tools/list"}});
}

Headers bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
}
Headers api_key(const std::string& token) {
    return {{"X-API-Key", token}};
}

Json rpc_body(const HttpResponse& response) {
    const std::string type(response[http::field::content_type]);
    if (type.find("text/event-stream") == std::string::npos) return Json::parse(response.body());
    std::istringstream in(response.body());
    std::string last;
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with("data:")) last = line.substr(5);
    }
    return Json::parse(last);
}

std::vector<std::string> tool_names(const HttpResponse& response) {
    std::vector<std::string> names;
    const Json body = rpc_body(response);  // a named object: the loop must not outlive it
    for (const auto& t : body.at("result").at("tools")) names.push_back(t.at("name"));
    std::sort(names.begin(), names.end());
    return names;
}

std::string result_text(const Json& rpc) {
    const auto& content = rpc.at("result").at("content");
    return content.empty() ? std::string() : content[0].value("text", std::string());
}

Json poll_activity(const AuthProxy& proxy, const std::vector<std::string>& filters,
                   const std::function<bool(const Json&)>& done,
                   std::chrono::milliseconds deadline) {
    std::vector<std::string> args{"activity", "list", "-o", "json", "--limit", "10000"};
    args.insert(args.end(), filters.begin(), filters.end());
    const auto until = std::chrono::steady_clock::now() + deadline;
    Json records = Json::array();
    for (;;) {
        const auto r = proxy.cli(args);
        if (r.exit_code == 0)
            records = Json::parse(r.out);
        else
            ADD_FAILURE() << "activity list failed: " << r.err;
        if (done(records) || std::chrono::steady_clock::now() >= until) return records;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

std::vector<Json> export_activity(const AuthProxy& proxy, const std::vector<std::string>& filters) {
    std::vector<std::string> args{"activity", "export", "--format", "jsonl"};
    args.insert(args.end(), filters.begin(), filters.end());
    const auto r = proxy.cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<Json> records;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) records.push_back(Json::parse(line));
    }
    return records;
}

std::string whole_response(const HttpResponse& response) {
    std::string all;
    for (const auto& field : response.base()) {
        all += std::string(field.name_string()) + ": " + std::string(field.value()) + "\n";
    }
    return all + "\n" + response.body();
}

namespace {

class Db {
public:
    explicit Db(const std::filesystem::path& file) {
        if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            throw std::runtime_error("cannot open " + file.string());
        }
        sqlite3_busy_timeout(db_, 5000);
    }
    ~Db() { sqlite3_close(db_); }
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
    void exec(const std::string& sql) {
        char* error = nullptr;
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
            const std::string message = error != nullptr ? error : "?";
            sqlite3_free(error);
            throw std::runtime_error(sql + ": " + message);
        }
    }
    [[nodiscard]] int changes() const { return sqlite3_changes(db_); }

private:
    sqlite3* db_ = nullptr;
};

}  // namespace

void set_token_expiry(const std::filesystem::path& data_dir, const std::string& name,
                      std::chrono::system_clock::time_point expires_at) {
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(expires_at.time_since_epoch()).count();
    Db db(data_dir / "tokens.db");
    db.exec("BEGIN IMMEDIATE");
    db.exec("UPDATE meta SET value = value + 1 WHERE key = 'revision'");
    // Names are plain [A-Za-z0-9_-]: safe to splice.
    db.exec("UPDATE tokens SET expires_at = " + std::to_string(seconds) +
            ", revision = (SELECT value FROM meta WHERE key = 'revision') WHERE name = '" + name +
            "'");
    if (db.changes() != 1) throw std::runtime_error("no token named " + name);
    db.exec("COMMIT");
}

}  // namespace mcpproxy::test::auth
