#pragma once

// Pure readings of tailscale's JSON (`tailscale status --json`, `tailscale serve status --json`),
// kept apart from the CLI runs so they can be unit-tested against recorded shapes.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "mcpproxy/sdk/tunnel_adapter.hpp"
#include "tailscale_config.hpp"

namespace mcpproxy::tunnel_tailscale {

// "Running", "NeedsLogin", "Stopped", ...; empty when absent.
std::string backend_state(const nlohmann::json& status);
// Self.DNSName without the trailing dot ("box.tail1234.ts.net"); empty when unknown.
std::string self_dns_name(const nlohmann::json& status);
// "https://box.tail1234.ts.net" plus ":port" when the port is not 443.
std::string public_url(const std::string& dns_name, std::uint16_t port);
// What to tell the operator when BackendState is not Running.
std::string not_running_advice(const std::string& state);
// Why Funnel cannot be used on this node and port (capabilities in Self.CapMap, the same checks
// tailscale's CLI makes), or nullopt when it can.
std::optional<std::string> funnel_refusal(const nlohmann::json& status, std::uint16_t port);

// The address tailscaled proxies to: the tunneled listener, with a wildcard bind mapped to
// loopback ("http://127.0.0.1:8080", "http://[::1]:8080").
std::string proxy_target(const sdk::TunnelTarget& target);

enum class ServeEntry { missing, ours, other_target, wrong_mode };
struct ServeMatch {
    ServeEntry entry = ServeEntry::missing;
    std::string current_target;  // what the port proxies to now, when it is not ours
};
// Whether the serve config has `https://<dns>:<port>/` -> proxy_url with Funnel on or off as mode
// says.
ServeMatch match_serve_config(const nlohmann::json& serve_config, const std::string& dns_name,
                              std::uint16_t port, const std::string& proxy_url, ExposeMode mode);

}  // namespace mcpproxy::tunnel_tailscale
