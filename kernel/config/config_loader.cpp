#include "kernel/config/config_loader.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "kernel/config/config_error.hpp"
#include "kernel/config/json_reader.hpp"
#include "kernel/util/byte_size.hpp"
#include "kernel/util/duration.hpp"
#include "kernel/util/host_port.hpp"

namespace mcpproxy::config {
namespace {

const std::regex& server_name_pattern() {
    static const std::regex re("^[A-Za-z0-9][A-Za-z0-9_-]*$");
    return re;
}

void check_listen(JsonReader& r, std::string_view key, const std::string& value) {
    if (!util::parse_host_port(value)) {
        r.fail(key, "expected HOST:PORT such as \"127.0.0.1:8080\", got \"" + value + "\"");
    }
}

UpstreamConfig parse_server(JsonReader r, const std::string& name_from_key,
                            std::vector<std::string>& warnings) {
    UpstreamConfig s;
    r.declare({"name", "command", "url", "protocol", "args", "env", "working_dir", "headers",
               "tls_verify", "ca_file", "enabled", "quarantined", "timeout"});
    r.ignore({"created", "updated", "isolation", "oauth", "repository_url", "type"}, warnings);
    r.finish();
    auto name = r.string("name");
    if (!name_from_key.empty()) {
        if (name && *name != name_from_key) r.fail("name", "differs from the entry's key");
        name = name_from_key;
    }
    if (!name || name->empty()) r.fail("name", "every server needs a name");
    if (!std::regex_match(*name, server_name_pattern()) || name->find("__") != std::string::npos) {
        r.fail("name", "\"" + *name +
                           "\" must start with a letter or digit and hold only letters, digits, "
                           "'_' and '-' (and no \"__\")");
    }
    s.name = *name;
    const auto command = r.string("command");
    const auto url = r.string("url");
    const auto protocol = r.string("protocol");
    if (command && url) r.fail("url", "a server has either \"command\" (stdio) or \"url\" (HTTP)");
    if (!command && !url) r.fail("command", "missing: give \"command\" (stdio) or \"url\" (HTTP)");
    if (protocol) {
        static const std::set<std::string, std::less<>> known{"stdio", "http", "streamable-http",
                                                              "auto"};
        if (!known.contains(*protocol)) {
            r.fail("protocol", "unsupported \"" + *protocol +
                                   "\" (use stdio, http or streamable-http; legacy SSE is not "
                                   "supported)");
        }
    }
    if (command) {
        s.transport = UpstreamTransport::stdio;
        if (command->empty()) r.fail("command", "must not be empty");
        s.command = *command;
        s.args = r.string_list("args").value_or(std::vector<std::string>{});
        s.env = r.string_map("env").value_or(std::map<std::string, std::string>{});
        s.working_dir = r.string("working_dir").value_or("");
    } else {
        s.transport = UpstreamTransport::http;
        if (!url->starts_with("http://") && !url->starts_with("https://")) {
            r.fail("url", "expected an http:// or https:// URL");
        }
        s.url = *url;
        s.headers = r.string_map("headers").value_or(std::map<std::string, std::string>{});
        s.tls_verify = r.boolean("tls_verify").value_or(true);
        s.ca_file = r.string("ca_file").value_or("");
    }
    s.enabled = r.boolean("enabled").value_or(true);
    s.quarantined = r.boolean("quarantined").value_or(false);
    s.timeout = r.duration("timeout");
    return s;
}

void parse_servers(const nlohmann::json& value, const std::string& file, Config& config) {
    std::set<std::string> seen;
    auto add = [&](UpstreamConfig s, const std::string& path) {
        if (!seen.insert(s.name).second) {
            throw ConfigError(file, path + ".name", "duplicate server name \"" + s.name + "\"");
        }
        config.servers.push_back(std::move(s));
    };
    if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) {
            const std::string path = "$.mcpServers[" + std::to_string(i) + "]";
            add(parse_server(JsonReader(value[i], file, path), "", config.warnings), path);
        }
    } else if (value.is_object()) {  // the Claude Desktop shape: {"name": {...}}
        for (const auto& [name, entry] : value.items()) {
            const std::string path = "$.mcpServers." + name;
            add(parse_server(JsonReader(entry, file, path), name, config.warnings), path);
        }
    } else {
        throw ConfigError(file, "$.mcpServers",
                          "expected an array of servers, got " + json_type_name(value));
    }
}

void parse_plugins(const nlohmann::json& value, const std::string& file, Config& config) {
    if (!value.is_array()) {
        throw ConfigError(file, "$.plugins", "expected an array, got " + json_type_name(value));
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string path = "$.plugins[" + std::to_string(i) + "]";
        const auto& item = value[i];
        PluginConfig p;
        if (item.is_string()) {
            p.name = item.get<std::string>();
        } else {
            JsonReader r(item, file, path);
            p.name = r.string("name").value_or("");
            if (const auto* settings = r.raw("config")) {
                if (!settings->is_object()) r.fail("config", "expected an object");
                p.settings = *settings;
            }
            r.finish();
        }
        if (p.name.empty()) throw ConfigError(file, path, "a plugin needs a name");
        config.plugins.push_back(std::move(p));
    }
}

void parse_limits(JsonReader r, ListenerLimits& limits) {
    if (auto v = r.integer("max_header_bytes", 1024, 1 << 20)) limits.max_header_bytes = *v;
    if (auto v = r.integer("max_body_bytes", 1024, 1LL << 30)) limits.max_body_bytes = *v;
    if (auto v = r.duration("header_timeout")) limits.header_timeout = *v;
    if (auto v = r.duration("body_timeout")) limits.body_timeout = *v;
    if (auto v = r.duration("idle_timeout")) limits.idle_timeout = *v;
    if (auto v = r.integer("max_connections", 1, 1'000'000)) limits.max_connections = *v;
    r.finish();
}

void parse_rate_limits(JsonReader r, RateLimits& limits) {
    if (auto v = r.number("requests_per_second", 0, 1e6)) limits.requests_per_second = *v;
    if (auto v = r.integer("burst", 0, 1'000'000)) limits.burst = static_cast<std::uint32_t>(*v);
    if (auto v = r.integer("max_concurrent", 0, 100'000))
        limits.max_concurrent = static_cast<std::uint32_t>(*v);
    if (auto v = r.number("auth_failures_per_minute", 0, 1e6)) limits.auth_failures_per_minute = *v;
    r.finish();
}

void parse_tunnel(JsonReader r, TunnelConfig& t) {
    t.enabled = r.boolean("enabled").value_or(true);
    if (auto v = r.string("listen")) {
        check_listen(r, "listen", *v);
        t.listen = *v;
    }
    if (auto v = r.string_list("auth")) t.auth = *v;
    if (auto v = r.string_list("trusted_proxies")) t.trusted_proxies = *v;
    t.require_ready = r.boolean("require_ready").value_or(false);
    if (auto v = r.string("public_url")) {
        if (!v->empty() && !v->starts_with("https://") && !v->starts_with("http://")) {
            r.fail("public_url", "expected an https:// URL");
        }
        t.public_url = *v;
    }
    r.finish();
}

std::string expand_home(const std::string& path);

std::string resolve_path(const std::string& value, const std::string& config_file) {
    std::filesystem::path p(expand_home(value));
    if (p.is_relative() && !config_file.empty()) {
        p = std::filesystem::absolute(config_file).parent_path() / p;
    }
    return p.lexically_normal().string();
}

// Only existence is checked here; the TLS layer parses the files and names what is wrong.
std::string tls_file(JsonReader& r, std::string_view key, const std::string& config_file,
                     bool required) {
    const auto v = r.string(key);
    if (!v || v->empty()) {
        if (required) r.fail(key, "missing: TLS needs a PEM file here");
        return {};
    }
    auto path = resolve_path(*v, config_file);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) r.fail(key, "no such file: " + path);
    return path;
}

void parse_tls(JsonReader r, const std::string& config_file, TlsConfig& t,
               std::vector<std::string>& warnings) {
    r.declare(
        {"enabled", "cert", "key", "client_ca", "crl", "require_client_cert", "reload_interval"});
    // Keys of the Go mcpproxy's "tls" block.
    r.ignore({"certs_dir", "hsts"}, warnings);
    r.finish();
    t.enabled = r.boolean("enabled").value_or(true);
    if (!t.enabled) return;
    t.cert = tls_file(r, "cert", config_file, true);
    t.key = tls_file(r, "key", config_file, true);
    t.client_ca = tls_file(r, "client_ca", config_file, false);
    t.crl = tls_file(r, "crl", config_file, false);
    t.require_client_cert = r.boolean("require_client_cert").value_or(!t.client_ca.empty());
    if (t.require_client_cert && t.client_ca.empty()) {
        r.fail("require_client_cert",
               "needs \"client_ca\" (the CAs that issue client certificates)");
    }
    if (!t.crl.empty() && t.client_ca.empty()) {
        r.fail("crl", "needs \"client_ca\" (a CRL is checked against client certificates)");
    }
    if (auto v = r.duration("reload_interval")) {
        if (v->count() < 100) r.fail("reload_interval", "must be at least 100ms");
        t.reload_interval = *v;
    }
}

void parse_management(JsonReader r, ManagementConfig& m) {
    m.enabled = r.boolean("enabled").value_or(true);
    if (auto v = r.string("listen")) {
        check_listen(r, "listen", *v);
        m.listen = *v;
    }
    r.finish();
}

// Retention: a duration of at least an hour (the age prune runs hourly) or "forever". 0 is
// refused rather than read as "forever": it could as well mean "keep nothing".
void parse_activity_retention(JsonReader& r, ActivityConfig& a) {
    const auto* v = r.raw("retention");
    if (v == nullptr) return;
    if (v->is_string() && v->get<std::string>() == "forever") {
        a.retention = std::chrono::milliseconds(0);
        return;
    }
    std::optional<std::chrono::milliseconds> d;
    constexpr double kMaxSeconds = 36'500.0 * 86'400;
    if (v->is_number() && v->get<double>() >= 0) {
        const double seconds = std::min(v->get<double>(), kMaxSeconds + 1);
        d = std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
    } else if (v->is_string()) {
        const auto text = v->get<std::string>();
        d = text == "0" ? std::optional(std::chrono::milliseconds(0)) : util::parse_duration(text);
    }
    if (!d) r.fail("retention", "expected a duration such as \"90d\" or \"12h\", or \"forever\"");
    if (d->count() == 0) {
        r.fail("retention",
               "0 would keep nothing; use \"forever\" to keep records whatever their age");
    }
    if (*d < std::chrono::hours(1)) r.fail("retention", "must be at least 1h (or \"forever\")");
    if (*d > std::chrono::days(36'500)) {
        r.fail("retention", "must be at most 36500d (or \"forever\")");
    }
    a.retention = *d;
}

// Max size: "1GB", "500MB", "256MiB", a number of bytes, or 0 / "unlimited".
void parse_activity_max_size(JsonReader& r, ActivityConfig& a) {
    const auto* v = r.raw("max_size");
    if (v == nullptr) return;
    std::optional<std::uint64_t> bytes;
    if (v->is_number_unsigned() || (v->is_number_integer() && v->get<std::int64_t>() >= 0)) {
        bytes = v->get<std::uint64_t>();
    } else if (v->is_string()) {
        const auto text = v->get<std::string>();
        bytes = text == "unlimited" ? std::optional<std::uint64_t>(0) : util::parse_byte_size(text);
    }
    if (!bytes) {
        r.fail("max_size",
               "expected a size such as \"1GB\", \"500MB\" or \"256MiB\", or 0 / \"unlimited\"");
    }
    if (*bytes != 0 && *bytes < 1'000'000) {
        r.fail("max_size", "must be at least 1MB (or 0 / \"unlimited\")");
    }
    a.max_size = *bytes;
}

void parse_activity(JsonReader r, ActivityConfig& a) {
    parse_activity_retention(r, a);
    parse_activity_max_size(r, a);
    r.finish();
}

std::string expand_home(const std::string& path) {
    if (path == "~" || path.starts_with("~/")) {
        const char* home = std::getenv("HOME");
        return std::string(home != nullptr ? home : "") + path.substr(1);
    }
    return path;
}

}  // namespace

std::string default_data_dir() {
    return expand_home("~/.mcpproxy");
}

Config default_config() {
    Config c;
    c.data_dir = default_data_dir();
    return c;
}

Config parse_config(const nlohmann::json& document, const std::string& file) {
    Config config = default_config();
    config.source_file = file;
    JsonReader r(document, file, "$");
    if (auto v = r.string("listen")) {
        check_listen(r, "listen", *v);
        config.listen = *v;
    }
    if (auto v = r.string("data_dir")) {
        if (v->empty()) r.fail("data_dir", "must not be empty");
        config.data_dir = expand_home(*v);
    }
    if (const auto* v = r.raw("plugins")) parse_plugins(*v, file, config);
    if (auto v = r.string("plugins_dir")) config.plugins_dir = expand_home(*v);
    if (auto v = r.string("log_level")) {
        static const std::set<std::string, std::less<>> levels{"trace", "debug", "info", "warn",
                                                               "error"};
        if (!levels.contains(*v)) r.fail("log_level", "expected trace, debug, info, warn or error");
        config.log_level = *v;
    }
    if (auto v = r.string("log_format")) {
        if (*v != "text" && *v != "json") r.fail("log_format", "expected text or json");
        config.log_format = *v;
    }
    if (auto v = r.string("routing_mode")) {
        if (*v == "direct")
            config.routing_mode = RoutingMode::direct;
        else if (*v == "retrieve_tools")
            config.routing_mode = RoutingMode::retrieve_tools;
        else
            r.fail("routing_mode", "expected \"retrieve_tools\" or \"direct\"");
    }
    if (auto v = r.string("tool_names")) {
        if (*v == "bare")
            config.tool_names = ToolNames::bare;
        else if (*v == "prefixed")
            config.tool_names = ToolNames::prefixed;
        else
            r.fail("tool_names", "expected \"prefixed\" or \"bare\"");
        if (config.tool_names == ToolNames::bare && config.routing_mode != RoutingMode::direct) {
            r.fail("tool_names", "\"bare\" names apply to \"routing_mode\": \"direct\" only");
        }
    }
    if (auto v = r.integer("top_k", 1, 100)) config.retrieve_default_limit = *v;
    if (auto v = r.duration("call_tool_timeout")) config.call_tool_timeout = *v;
    if (auto v = r.duration("shutdown_timeout")) config.shutdown_timeout = *v;
    if (auto v = r.object("limits")) parse_limits(*v, config.limits);
    if (auto v = r.object("rate_limits")) parse_rate_limits(*v, config.rate_limits);
    if (auto v = r.string_list("allowed_origins")) config.allowed_origins = *v;
    if (auto v = r.string_list("trusted_hosts")) config.trusted_hosts = *v;
    if (auto v = r.string("api_key")) config.api_key = *v;
    if (auto v = r.object("tls")) parse_tls(*v, file, config.tls, config.warnings);
    if (auto v = r.object("tunnel")) parse_tunnel(*v, config.tunnel);
    if (auto v = r.object("management")) parse_management(*v, config.management);
    if (auto v = r.object("activity")) parse_activity(*v, config.activity);
    if (const auto* v = r.raw("mcpServers")) parse_servers(*v, file, config);
    // Keys of the Go mcpproxy's mcp_config.json that have no meaning here.
    r.ignore({"enable_tray",
              "tools_limit",
              "tool_response_limit",
              "enable_web_ui",
              "logging",
              "docker_isolation",
              "environment",
              "read_only_mode",
              "disable_management",
              "allow_server_add",
              "allow_server_remove",
              "enable_prompts",
              "check_server_repo",
              "debug_search",
              "features",
              "tokenizer",
              "registries",
              "enable_code_execution",
              "code_execution_timeout_ms",
              "code_execution_max_tool_calls",
              "code_execution_pool_size"},
             config.warnings);
    r.finish();
    return config;
}

Config load_config_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw ConfigError(path, "",
                          std::filesystem::exists(path) ? "cannot be read" : "no such file");
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(text, nullptr, true, /*ignore_comments=*/true);
    } catch (const nlohmann::json::parse_error& e) {
        std::size_t line = 1;
        std::size_t column = 1;
        for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
            if (text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        throw ConfigError(
            path, "",
            "invalid JSON at line " + std::to_string(line) + ", column " + std::to_string(column));
    } catch (const nlohmann::json::out_of_range&) {
        // A number beyond what a double holds (1e400): nlohmann reports it apart from syntax
        // errors.
        throw ConfigError(path, "", "invalid JSON: a number is too large");
    }
    return parse_config(document, path);
}

}  // namespace mcpproxy::config
