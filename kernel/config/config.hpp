#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace mcpproxy::config {

enum class UpstreamTransport { stdio, http };

struct UpstreamConfig {
    std::string name;
    UpstreamTransport transport = UpstreamTransport::stdio;
    // stdio
    std::string command;
    std::vector<std::string> args;
    std::map<std::string, std::string> env;  // may hold secrets: never logged
    std::string working_dir;
    // Streamable HTTP
    std::string url;
    std::map<std::string, std::string> headers;  // may hold secrets: never logged
    bool tls_verify = true;
    std::string ca_file;

    bool enabled = true;
    bool quarantined = false;
    std::optional<std::chrono::milliseconds> timeout;  // per call; falls back to call_tool_timeout
};

struct ListenerLimits {
    std::size_t max_header_bytes = 16 * 1024;
    std::size_t max_body_bytes = 4 * 1024 * 1024;
    std::chrono::milliseconds header_timeout{
        10'000};  // whole request head must arrive in this time
    std::chrono::milliseconds body_timeout{30'000};
    std::chrono::milliseconds idle_timeout{120'000};  // keep-alive connection with no request
    std::size_t max_connections = 4096;
};

struct PluginConfig {
    std::string name;  // a plugin name or a path to a plugin file
    nlohmann::json settings = nlohmann::json::object();
};

enum class RoutingMode { retrieve_tools, direct };

// How direct mode names upstream tools, prompts and resource templates: "<server>__<name>"
// always, or the upstream's own name with the prefix only where two upstreams share a name.
enum class ToolNames { prefixed, bare };

// Defaults for every identity (a credential can carry its own) and the brute-force defence.
struct RateLimits {
    double requests_per_second = 0;  // 0: unlimited
    std::uint32_t burst = 0;
    std::uint32_t max_concurrent = 0;      // 0: unlimited
    double auth_failures_per_minute = 30;  // per client address; 0 disables
};

// Tunnel mode: the listener a tunnel daemon forwards to serves /mcp and /healthz only, with
// mandatory authentication.
struct TunnelConfig {
    bool enabled = false;
    std::string listen;  // empty: the main listener is the tunneled one
    std::vector<std::string>
        auth;  // auth bridge plugins accepted there; empty: every loaded bridge
    std::vector<std::string> trusted_proxies{"127.0.0.1", "::1"};  // whose forwarding headers count
    bool require_ready = false;  // /healthz 503 until a tunnel adapter reports ready
    std::string public_url;      // known in advance (named tunnels); adapters may report it
};

// TLS on the main listener (and on a separate tunneled one). Paths are absolute once loaded. The
// files are read again when they change (or on SIGHUP); a broken new file keeps the old one.
struct TlsConfig {
    bool enabled = false;
    std::string cert;  // PEM server certificate chain
    std::string key;   // PEM private key (secret: never logged)
    std::string
        client_ca;    // PEM bundle of CAs whose client certificates are accepted; empty: none asked
    std::string crl;  // PEM CRL(s) checked against client certificates; empty: none
    bool require_client_cert = false;  // true: no valid client certificate, no handshake
    std::chrono::milliseconds reload_interval{2'000};  // how often the files' mtimes are checked
};

// The operator's listener: REST API, web UI and /metrics behind the admin key.
struct ManagementConfig {
    bool enabled = false;
    std::string listen = "127.0.0.1:8081";
};

// How much of the activity log is kept; the oldest records go first. Zero: no limit.
struct ActivityConfig {
    std::chrono::milliseconds retention = std::chrono::days(90);  // zero: "forever"
    std::uint64_t max_size = 1'000'000'000;  // bytes of activity.db in use; zero: "unlimited"
};

struct Config {
    std::string source_file;  // empty when no file was read
    std::string listen = "127.0.0.1:8080";
    std::string data_dir;  // resolved: absolute
    std::vector<PluginConfig> plugins;
    std::string plugins_dir;
    std::string log_level = "info";
    std::string log_format = "text";
    RoutingMode routing_mode = RoutingMode::retrieve_tools;
    ToolNames tool_names = ToolNames::prefixed;  // direct mode only
    std::size_t retrieve_default_limit = 10;
    std::chrono::milliseconds call_tool_timeout{60'000};
    std::chrono::milliseconds shutdown_timeout{10'000};
    ListenerLimits limits;
    RateLimits rate_limits;
    std::vector<std::string> allowed_origins;
    std::vector<std::string> trusted_hosts;
    std::string api_key;  // secret
    TlsConfig tls;
    TunnelConfig tunnel;
    ManagementConfig management;
    ActivityConfig activity;
    std::vector<UpstreamConfig> servers;
    std::vector<std::string> warnings;  // non-fatal remarks found while loading
};

}  // namespace mcpproxy::config
