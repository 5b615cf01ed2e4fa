#pragma once

// What the tunnel-mode tests share: a data dir with agent tokens made by the real CLI, a config
// file, a running proxy with a tunneled listener and a management listener, raw HTTP helpers for
// /mcp and the management API, and port checks for the refusal cases.

#include <chrono>
#include <filesystem>
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

namespace mcpproxy::test::tunnel {

using Json = nlohmann::json;
using Headers = std::map<std::string, std::string>;

// A port on 127.0.0.1 that was free a moment ago (bound to port 0 and released).
unsigned short pick_free_port();
// Nothing accepts connections on 127.0.0.1:port and the port can be bound again.
bool port_is_free(unsigned short port);

// The lines of a process's output that start with "mcpproxy: " (the one-line start-up errors).
std::vector<std::string> error_lines(const std::string& output);
// How many lines of output contain needle.
std::size_t count_lines_with(const std::string& output, const std::string& needle);

// A data dir (created by the CLI when a token is made) and a config file in a temp dir.
class Workspace {
public:
    Workspace();
    [[nodiscard]] std::string data_dir() const;
    [[nodiscard]] const std::filesystem::path& path() const { return dir_.path(); }

    // `mcpproxy <args> --data-dir <data>`.
    RunResult cli(std::vector<std::string> args) const;
    // `token create --name NAME -o json <extra>`; returns the secret.
    std::string create_token(const std::string& name, std::vector<std::string> extra = {}) const;
    // Writes config.json: listen, data_dir and the plugin list filled in, `extra` merged on top.
    std::filesystem::path write_config(const Json& extra) const;
    // `serve --config <file> <args>` to completion (for refusals).
    RunResult serve_to_completion(const Json& config, std::vector<std::string> args = {}) const;

private:
    TempDir dir_;
};

// A running proxy started with `serve --config <file>`; ports from the port file.
class RunningProxy {
public:
    RunningProxy(const Workspace& workspace, const Json& config);
    [[nodiscard]] unsigned short main_port() const { return process_->port(); }
    [[nodiscard]] unsigned short management_port() const { return process_->port("management"); }
    [[nodiscard]] std::string log() const { return process_->log(); }
    [[nodiscard]] ProxyProcess& process() { return *process_; }

    // Waits until GET /healthz on the main (tunneled) listener answers 200.
    void wait_ready(std::chrono::seconds limit = std::chrono::seconds(20)) const;

private:
    std::unique_ptr<ProxyProcess> process_;
};

// A management API call on the management listener, authenticated with key (none when empty).
HttpResponse management(unsigned short port, boost::beast::http::verb method,
                        const std::string& path, const std::string& key,
                        const std::string& body = {});
std::string admin_key(const Workspace& workspace);

// MCP over Streamable HTTP: initialize with these extra headers (credentials, forwarding).
HttpResponse mcp_initialize(unsigned short port, const Headers& headers);
// initialize + notifications/initialized + tools/list in one session; returns the tools/list reply.
HttpResponse mcp_list_tools(unsigned short port, const Headers& headers);
Headers bearer(const std::string& secret);

// Polls until check(response of request()) holds or the deadline passes; returns the last response.
HttpResponse poll_until(const std::function<HttpResponse()>& request,
                        const std::function<bool(const HttpResponse&)>& check,
                        std::chrono::milliseconds deadline = std::chrono::seconds(5));

// The activity records of the management API (GET /api/v1/activity?<query>), polled until done
// accepts them (activity is written in batches).
Json poll_activity(unsigned short management_port, const std::string& key, const std::string& query,
                   const std::function<bool(const Json&)>& done,
                   std::chrono::milliseconds deadline = std::chrono::seconds(5));

}  // namespace mcpproxy::test::tunnel
