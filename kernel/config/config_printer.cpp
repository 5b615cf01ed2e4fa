#include "kernel/config/config_printer.hpp"

#include "kernel/util/duration.hpp"

namespace mcpproxy::config {
namespace {

constexpr const char* kRedacted = "<redacted>";

nlohmann::json redact_values(const std::map<std::string, std::string>& values) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : values) out[key] = kRedacted;
    return out;
}

nlohmann::json server_json(const UpstreamConfig& s) {
    nlohmann::json j;
    j["name"] = s.name;
    j["enabled"] = s.enabled;
    j["quarantined"] = s.quarantined;
    if (s.timeout) j["timeout"] = std::to_string(s.timeout->count()) + "ms";
    if (s.transport == UpstreamTransport::stdio) {
        j["command"] = s.command;
        j["args"] = s.args;
        j["env"] = redact_values(s.env);
        if (!s.working_dir.empty()) j["working_dir"] = s.working_dir;
    } else {
        j["url"] = s.url;
        j["headers"] = redact_values(s.headers);
        j["tls_verify"] = s.tls_verify;
        if (!s.ca_file.empty()) j["ca_file"] = s.ca_file;
    }
    return j;
}

// As a config file would say it: "90d", "12h", "forever".
std::string retention_text(std::chrono::milliseconds retention) {
    return retention.count() == 0 ? "forever" : util::format_duration(retention);
}

}  // namespace

nlohmann::json effective_config_redacted(const Config& config) {
    nlohmann::json j;
    j["listen"] = config.listen;
    j["data_dir"] = config.data_dir;
    j["log_level"] = config.log_level;
    j["log_format"] = config.log_format;
    j["routing_mode"] = config.routing_mode == RoutingMode::direct ? "direct" : "retrieve_tools";
    j["tool_names"] = config.tool_names == ToolNames::bare ? "bare" : "prefixed";
    j["top_k"] = config.retrieve_default_limit;
    j["call_tool_timeout"] = std::to_string(config.call_tool_timeout.count()) + "ms";
    j["shutdown_timeout"] = std::to_string(config.shutdown_timeout.count()) + "ms";
    j["limits"] = {
        {"max_header_bytes", config.limits.max_header_bytes},
        {"max_body_bytes", config.limits.max_body_bytes},
        {"header_timeout", std::to_string(config.limits.header_timeout.count()) + "ms"},
        {"body_timeout", std::to_string(config.limits.body_timeout.count()) + "ms"},
        {"idle_timeout", std::to_string(config.limits.idle_timeout.count()) + "ms"},
        {"max_connections", config.limits.max_connections},
    };
    j["rate_limits"] = {{"requests_per_second", config.rate_limits.requests_per_second},
                        {"burst", config.rate_limits.burst},
                        {"max_concurrent", config.rate_limits.max_concurrent},
                        {"auth_failures_per_minute", config.rate_limits.auth_failures_per_minute}};
    j["allowed_origins"] = config.allowed_origins;
    j["trusted_hosts"] = config.trusted_hosts;
    j["api_key"] = config.api_key.empty() ? "" : kRedacted;
    j["tunnel"] = {{"enabled", config.tunnel.enabled},
                   {"listen", config.tunnel.listen},
                   {"auth", config.tunnel.auth},
                   {"trusted_proxies", config.tunnel.trusted_proxies},
                   {"require_ready", config.tunnel.require_ready},
                   {"public_url", config.tunnel.public_url}};
    if (config.tls.enabled) {
        j["tls"] = {{"cert", config.tls.cert},
                    {"key", config.tls.key},  // a path, not the key itself
                    {"client_ca", config.tls.client_ca},
                    {"crl", config.tls.crl},
                    {"require_client_cert", config.tls.require_client_cert},
                    {"reload_interval", std::to_string(config.tls.reload_interval.count()) + "ms"}};
    }
    j["management"] = {{"enabled", config.management.enabled},
                       {"listen", config.management.listen}};
    j["activity"] = {{"retention", retention_text(config.activity.retention)},
                     {"max_size", config.activity.max_size}};
    nlohmann::json plugins = nlohmann::json::array();
    for (const auto& p : config.plugins) {
        plugins.push_back({{"name", p.name}, {"config", p.settings}});
    }
    j["plugins"] = plugins;
    if (!config.plugins_dir.empty()) j["plugins_dir"] = config.plugins_dir;
    nlohmann::json servers = nlohmann::json::array();
    for (const auto& s : config.servers) servers.push_back(server_json(s));
    j["mcpServers"] = servers;
    return j;
}

}  // namespace mcpproxy::config
