#include "tailscale_config.hpp"

#include <stdexcept>

#include "mcpproxy/tunnel_common/plugin_json.hpp"
#include "mcpproxy/tunnel_common/url.hpp"

namespace mcpproxy::tunnel_tailscale {
namespace {

using nlohmann::json;
namespace tc = tunnel_common;

std::chrono::milliseconds ms_key(const json& config, const std::string& key, long long fallback,
                                 long long lo, long long hi) {
    const auto value = tc::int_key(config, key, fallback);
    if (value < lo || value > hi) {
        throw std::runtime_error("config key \"" + key + "\" must be from " + std::to_string(lo) +
                                 " to " + std::to_string(hi) + " (milliseconds)");
    }
    return std::chrono::milliseconds(value);
}

sdk::Permission parse_permission(const std::string& text, const std::string& login) {
    if (text == "read") return sdk::Permission::read;
    if (text == "write") return sdk::Permission::write;
    if (text == "destructive") return sdk::Permission::destructive;
    throw std::runtime_error("identities." + login +
                             ".permission must be \"read\", \"write\" or \"destructive\"");
}

std::map<std::string, TailnetGrant> parse_identities(const json& config) {
    std::map<std::string, TailnetGrant> out;
    const auto it = config.find("identities");
    if (it == config.end() || it->is_null()) return out;
    if (!it->is_object()) {
        throw std::runtime_error(
            "config key \"identities\" must map tailnet logins to {\"servers\": [...], "
            "\"permission\": ...}");
    }
    for (const auto& [login, value] : it->items()) {
        if (!value.is_object())
            throw std::runtime_error("identities." + login + " must be an object");
        TailnetGrant grant;
        if (value.contains("servers")) {
            if (!value["servers"].is_array())
                throw std::runtime_error("identities." + login +
                                         ".servers must be a list of names");
            grant.servers.clear();
            for (const auto& s : value["servers"]) {
                if (!s.is_string())
                    throw std::runtime_error("identities." + login +
                                             ".servers must be a list of names");
                grant.servers.push_back(s.get<std::string>());
            }
        }
        grant.permission = parse_permission(tc::string_key(value, "permission", "read"), login);
        out[tc::lower(login)] = std::move(grant);
    }
    return out;
}

}  // namespace

bool is_funnel_port(std::uint16_t port) {
    return port == 443 || port == 8443 || port == 10000;
}

TailscaleConfig parse_tailscale_config(std::string_view json_text) {
    const auto config = tc::parse_config(json_text);
    tc::require_known_keys(config, {"mode", "https_port", "tailscale", "socket", "poll_interval_ms",
                                    "command_timeout_ms", "turn_off_on_stop", "identities"});
    TailscaleConfig out;
    const auto mode = tc::string_key(config, "mode", "serve");
    if (mode == "serve")
        out.mode = ExposeMode::serve;
    else if (mode == "funnel")
        out.mode = ExposeMode::funnel;
    else
        throw std::runtime_error(
            "config key \"mode\" must be \"serve\" (tailnet only) or \"funnel\" (public)");

    const auto port = tc::int_key(config, "https_port", 443);
    if (port < 1 || port > 65535)
        throw std::runtime_error("config key \"https_port\" must be a TCP port");
    out.https_port = static_cast<std::uint16_t>(port);
    if (out.mode == ExposeMode::funnel && !is_funnel_port(out.https_port)) {
        throw std::runtime_error("https_port " + std::to_string(port) +
                                 " cannot be used with Funnel: Tailscale only allows Funnel on "
                                 "ports 443, 8443 and 10000; pick one of them");
    }
    out.program = tc::string_key(config, "tailscale", "tailscale");
    out.socket = tc::string_key(config, "socket", "");
    out.poll_interval = ms_key(config, "poll_interval_ms", 2000, 100, 60'000);
    out.command_timeout = ms_key(config, "command_timeout_ms", 10'000, 1000, 120'000);
    out.turn_off_on_stop = tc::bool_key(config, "turn_off_on_stop", true);
    out.identities = parse_identities(config);
    if (!out.identities.empty() && out.mode == ExposeMode::funnel) {
        throw std::runtime_error(
            "config key \"identities\" only works with mode \"serve\": Funnel requests come from "
            "the internet and carry no tailnet identity");
    }
    return out;
}

std::string local_api_socket(const TailscaleConfig& config) {
    return config.socket.empty() ? std::string("/var/run/tailscale/tailscaled.sock")
                                 : config.socket;
}

}  // namespace mcpproxy::tunnel_tailscale
