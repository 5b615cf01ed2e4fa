#pragma once

// What the auth integration tests share: a proxy with agent-token auth in front of the test
// upstream, token CLI calls on its data dir, a small MCP client that sends credentials, and
// activity-log queries.

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/proxy_process.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/temp_dir.hpp"

namespace mcpproxy::test::auth {

using Json = nlohmann::json;
using Headers = std::map<std::string, std::string>;

// The stdio upstream built from fixtures/auth_test_upstream.cpp.
std::string upstream_binary();

struct ProxySettings {
    std::string routing_mode = "direct";
    std::vector<std::string> servers{"alpha"};  // each one an auth_test_upstream
    Json rate_limits;                           // null: the key is left out
    Json extra;                                 // more top-level config keys (e.g. "tunnel")
};

// A data dir, a config file and (after start()) a running proxy with auth-agent-token loaded.
class AuthProxy {
public:
    explicit AuthProxy(ProxySettings settings = {});

    [[nodiscard]] std::string data_dir() const;
    [[nodiscard]] const std::filesystem::path& work_dir() const { return dir_.path(); }

    // Runs `mcpproxy <args> --data-dir <data>`.
    RunResult cli(std::vector<std::string> args) const;
    // `token create --name NAME <extra> -o json`; returns the secret. Fails the test on error.
    std::string create_token(const std::string& name, std::vector<std::string> extra = {}) const;

    // Starts (or restarts) the proxy and waits until every upstream's tools are listed.
    void start();
    [[nodiscard]] ProxyProcess& process() { return *proxy_; }
    [[nodiscard]] unsigned short port() const { return proxy_->port(); }
    [[nodiscard]] std::string log() const { return proxy_ ? proxy_->log() : std::string(); }

private:
    ProxySettings settings_;
    TempDir dir_;
    std::unique_ptr<ProxyProcess> proxy_;
};

// An MCP Streamable-HTTP client for one session; every request carries `credentials`.
class McpSession {
public:
    McpSession(unsigned short port, Headers credentials, std::string target = "/mcp");

    // POSTs one JSON-RPC message with the session headers; a fresh connection per request.
    HttpResponse post(const Json& message, const Headers& extra = {}) const;
    // initialize + notifications/initialized; returns the initialize response.
    HttpResponse initialize();
    HttpResponse call_tool(const std::string& name, const Json& arguments = Json::object()) const;
    HttpResponse list_tools() const;

    [[nodiscard]] const std::string& session_id() const { return session_id_; }

private:
    unsigned short port_;
    Headers credentials_;
    std::string target_;
    std::string session_id_;
    // Tests call one session from several threads; copies of a session share the counter.
    std::shared_ptr<std::atomic<int>> next_id_ = std::make_shared<std::atomic<int>>(1);
};

Headers bearer(const std::string& token);
Headers api_key(const std::string& token);

// The JSON-RPC message in a response, whether sent as JSON or as an SSE stream (the last event).
Json rpc_body(const HttpResponse& response);
// Names of the tools in a tools/list response.
std::vector<std::string> tool_names(const HttpResponse& response);
// The text of a tool result's first content item.
std::string result_text(const Json& rpc);

// `activity list <filters> -o json` on the data dir, retried until `done` accepts the records or
// the deadline passes; returns the last records seen.
Json poll_activity(const AuthProxy& proxy, const std::vector<std::string>& filters,
                   const std::function<bool(const Json&)>& done,
                   std::chrono::milliseconds deadline = std::chrono::seconds(5));
// `activity export --format jsonl <filters>`: one JSON object per line.
std::vector<Json> export_activity(const AuthProxy& proxy, const std::vector<std::string>& filters);

// Every header and the body of a response, for "does it leak X" checks.
std::string whole_response(const HttpResponse& response);

// Sets a token's expiry directly in tokens.db (the CLI refuses anything under one hour). Bumps the
// row's revision so a running proxy picks the change up like any other write.
void set_token_expiry(const std::filesystem::path& data_dir, const std::string& name,
                      std::chrono::system_clock::time_point expires_at);

}  // namespace mcpproxy::test::auth
