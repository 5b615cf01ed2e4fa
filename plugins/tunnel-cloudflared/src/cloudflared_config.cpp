#include "cloudflared_config.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "mcpproxy/tunnel_common/plugin_json.hpp"

namespace mcpproxy::tunnel_cloudflared {
namespace tc = tunnel_common;
namespace {

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    while (!s.empty() && s.front() == ' ') s.erase(0, 1);
    return s;
}

std::string read_token_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read token_file " + path);
    std::stringstream s;
    s << in.rdbuf();
    return trim(s.str());
}

AccessConfig parse_access(const nlohmann::json& block) {
    if (!block.is_object()) throw std::runtime_error("config key \"access\" must be an object");
    AccessConfig a;
    a.team = tc::string_key(block, "team");
    a.audience = tc::string_key(block, "audience");
    if (a.team.empty() || a.audience.empty()) {
        throw std::runtime_error(
            "config key \"access\" needs \"team\" (your <team>.cloudflareaccess.com name) and "
            "\"audience\" "
            "(the Access application's AUD tag)");
    }
    a.issuer = tc::string_key(block, "issuer", "https://" + a.team + ".cloudflareaccess.com");
    a.certs_url = tc::string_key(block, "certs_url", a.issuer + "/cdn-cgi/access/certs");
    a.leeway = std::chrono::seconds(tc::int_key(block, "leeway_seconds", 60));
    a.min_refetch = std::chrono::milliseconds(tc::int_key(block, "min_refetch_ms", 30'000));
    a.refresh = std::chrono::seconds(tc::int_key(block, "refresh_seconds", 3600));
    return a;
}

std::string base64_decode(const std::string& in) {
    static const std::string chars =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    int val = 0;
    int bits = -8;
    for (const char c : in) {
        if (c == '=' || c == '\n' || c == '\r') continue;
        const auto pos = chars.find(c);
        if (pos == std::string::npos) return {};
        val = (val << 6) + static_cast<int>(pos);
        bits += 6;
        if (bits >= 0) {
            out.push_back(static_cast<char>((val >> bits) & 0xFF));
            bits -= 8;
        }
    }
    return out;
}

}  // namespace

std::optional<std::string> tunnel_id_of_token(const std::string& token) {
    const auto decoded = base64_decode(token);
    if (decoded.empty()) return std::nullopt;
    const auto json = nlohmann::json::parse(decoded, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return std::nullopt;
    for (const char* key : {"a", "t", "s"}) {
        if (!json.contains(key) || !json[key].is_string() || json[key].get<std::string>().empty()) {
            return std::nullopt;
        }
    }
    return json["t"].get<std::string>();
}

CloudflaredConfig parse_cloudflared_config(std::string_view json_text) {
    const auto config = tc::parse_config(json_text);
    tc::require_known_keys(config,
                           {"binary", "mode", "token", "token_file", "hostname", "metrics_port",
                            "poll_interval_ms", "ready_timeout_ms", "stop_grace_ms", "access"});
    CloudflaredConfig c;
    c.binary = tc::string_key(config, "binary", "cloudflared");
    c.hostname = tc::string_key(config, "hostname");
    const auto mode = tc::string_key(config, "mode", c.hostname.empty() ? "quick" : "named");
    if (mode != "quick" && mode != "named") {
        throw std::runtime_error("config key \"mode\" must be \"quick\" or \"named\"");
    }
    c.quick = mode == "quick";
    c.token = tc::string_key(config, "token");
    if (const auto file = tc::string_key(config, "token_file"); c.token.empty() && !file.empty()) {
        c.token = read_token_file(file);
    }
    if (c.token.empty()) c.token = tc::env_value("TUNNEL_TOKEN").value_or("");
    const auto port = tc::int_key(config, "metrics_port", 0);
    if (port < 0 || port > 65535)
        throw std::runtime_error("config key \"metrics_port\" must be 0..65535");
    c.metrics_port = static_cast<std::uint16_t>(port);
    const auto interval = tc::int_key(config, "poll_interval_ms", 1000);
    if (interval < 50)
        throw std::runtime_error("config key \"poll_interval_ms\" must be at least 50");
    c.poll_interval = std::chrono::milliseconds(interval);
    const auto ready_timeout = tc::int_key(config, "ready_timeout_ms", 60'000);
    if (ready_timeout < 100)
        throw std::runtime_error("config key \"ready_timeout_ms\" must be at least 100");
    c.ready_timeout = std::chrono::milliseconds(ready_timeout);
    const auto stop_grace = tc::int_key(config, "stop_grace_ms", 5000);
    if (stop_grace < 100 || stop_grace > 60'000)
        throw std::runtime_error("config key \"stop_grace_ms\" must be from 100 to 60000");
    c.stop_grace = std::chrono::milliseconds(stop_grace);
    if (config.contains("access")) c.access = parse_access(config["access"]);
    return c;
}

}  // namespace mcpproxy::tunnel_cloudflared
