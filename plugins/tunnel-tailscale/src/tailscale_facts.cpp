#include "tailscale_facts.hpp"

#include <charconv>
#include <string_view>

namespace mcpproxy::tunnel_tailscale {
namespace {

using nlohmann::json;

const json* member(const json& j, const char* key) {
    if (!j.is_object()) return nullptr;
    const auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
}

std::string string_at(const json& j, const char* key) {
    const auto* v = member(j, key);
    return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

bool has_cap(const json& self, std::string_view cap) {
    const auto* caps = member(self, "CapMap");
    if (caps != nullptr && caps->is_object() && caps->contains(std::string(cap))) return true;
    const auto* list = member(self, "Capabilities");  // older tailscaled
    if (list != nullptr && list->is_array()) {
        for (const auto& c : *list) {
            if (c.is_string() && c.get<std::string>() == cap) return true;
        }
    }
    return false;
}

// "443,8443,10000" from the https://tailscale.com/cap/funnel-ports?ports=... capability.
std::string funnel_ports(const json& self) {
    constexpr std::string_view prefix = "https://tailscale.com/cap/funnel-ports?ports=";
    const auto* caps = member(self, "CapMap");
    if (caps == nullptr || !caps->is_object()) return {};
    for (const auto& [key, _] : caps->items()) {
        if (key.starts_with(prefix)) return key.substr(prefix.size());
    }
    return {};
}

bool port_listed(std::string_view list, std::uint16_t port) {
    while (!list.empty()) {
        const auto comma = list.find(',');
        const auto item = list.substr(0, comma);
        const auto dash = item.find('-');
        unsigned lo = 0;
        unsigned hi = 0;
        std::from_chars(item.data(),
                        item.data() + (dash == std::string_view::npos ? item.size() : dash), lo);
        hi = lo;
        if (dash != std::string_view::npos)
            std::from_chars(item.data() + dash + 1, item.data() + item.size(), hi);
        if (port >= lo && port <= hi) return true;
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return false;
}

}  // namespace

std::string backend_state(const json& status) {
    return string_at(status, "BackendState");
}

std::string self_dns_name(const json& status) {
    const auto* self = member(status, "Self");
    if (self == nullptr) return {};
    auto name = string_at(*self, "DNSName");
    if (!name.empty() && name.back() == '.') name.pop_back();
    return name;
}

std::string public_url(const std::string& dns_name, std::uint16_t port) {
    std::string url = "https://" + dns_name;
    if (port != 443) url += ":" + std::to_string(port);
    return url;
}

std::string not_running_advice(const std::string& state) {
    if (state == "NeedsLogin" || state == "NoState")
        return "tailscale is not logged in (BackendState " + state +
               "): run `tailscale up` on this machine";
    if (state == "NeedsMachineAuth")
        return "this machine waits for approval in the Tailscale admin console (BackendState "
               "NeedsMachineAuth): approve it, then retry";
    if (state == "Stopped")
        return "tailscale is stopped (BackendState Stopped): run `tailscale up`";
    if (state == "Starting") return "tailscale is still connecting (BackendState Starting)";
    return "tailscale is not running (BackendState \"" + state + "\"): run `tailscale up`";
}

std::optional<std::string> funnel_refusal(const json& status, std::uint16_t port) {
    const auto* self = member(status, "Self");
    if (self == nullptr) return "tailscale status has no Self node: is this machine logged in?";
    if (!has_cap(*self, "https")) {
        return std::string(
            "Funnel needs HTTPS certificates, which are off for this tailnet: enable HTTPS in the "
            "Tailscale admin console (DNS page), see https://tailscale.com/s/https");
    }
    if (!has_cap(*self, "funnel")) {
        return std::string(
            "Funnel is not allowed for this machine (no \"funnel\" node attribute in the tailnet "
            "policy file): add a nodeAttrs entry with \"attr\": [\"funnel\"] for this machine in "
            "the "
            "Tailscale admin console, see https://tailscale.com/s/no-funnel");
    }
    const auto ports = funnel_ports(*self);
    if (!ports.empty() && !port_listed(ports, port)) {
        return "Funnel is not allowed on port " + std::to_string(port) +
               " for this machine (allowed: " + ports + "): set https_port to one of them";
    }
    return std::nullopt;
}

std::string proxy_target(const sdk::TunnelTarget& target) {
    std::string host = target.host;
    if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
    if (host == "::" || host == "[::]") host = "::1";
    if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
    return (target.scheme.empty() ? std::string("http") : target.scheme) + "://" + host + ":" +
           std::to_string(target.port);
}

ServeMatch match_serve_config(const json& serve_config, const std::string& dns_name,
                              std::uint16_t port, const std::string& proxy_url, ExposeMode mode) {
    ServeMatch match;
    const std::string key = dns_name + ":" + std::to_string(port);
    const auto* web = member(serve_config, "Web");
    const auto* entry = web != nullptr ? member(*web, key.c_str()) : nullptr;
    const auto* handlers = entry != nullptr ? member(*entry, "Handlers") : nullptr;
    const auto* root = handlers != nullptr ? member(*handlers, "/") : nullptr;
    if (root == nullptr) return match;
    match.current_target = string_at(*root, "Proxy");
    auto normalised = match.current_target;
    if (!normalised.empty() && normalised.back() == '/') normalised.pop_back();
    if (normalised != proxy_url) {
        match.entry = ServeEntry::other_target;
        return match;
    }
    const auto* funnel = member(serve_config, "AllowFunnel");
    const auto* on = funnel != nullptr ? member(*funnel, key.c_str()) : nullptr;
    const bool funnel_on = on != nullptr && on->is_boolean() && on->get<bool>();
    match.entry =
        funnel_on == (mode == ExposeMode::funnel) ? ServeEntry::ours : ServeEntry::wrong_mode;
    return match;
}

}  // namespace mcpproxy::tunnel_tailscale
