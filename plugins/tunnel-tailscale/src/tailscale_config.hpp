#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "mcpproxy/sdk/identity.hpp"

namespace mcpproxy::tunnel_tailscale {

enum class ExposeMode { serve, funnel };

// Who a tailnet login is when `identities` maps it (Serve only; Funnel never carries identity).
struct TailnetGrant {
    std::vector<std::string> servers{"*"};
    sdk::Permission permission = sdk::Permission::read;
};

struct TailscaleConfig {
    ExposeMode mode = ExposeMode::serve;
    std::uint16_t https_port = 443;
    std::string program = "tailscale";
    std::string socket;  // tailscaled's socket; empty: the CLI's own default
    std::chrono::milliseconds poll_interval{2000};
    std::chrono::milliseconds command_timeout{10'000};
    bool turn_off_on_stop = true;
    std::map<std::string, TailnetGrant> identities;  // login (lower case) -> grant
};

// The ports Tailscale accepts for Funnel (its rule, enforced by the control plane).
bool is_funnel_port(std::uint16_t port);

// Parses the plugin's config block; throws std::runtime_error saying which key is wrong and why.
TailscaleConfig parse_tailscale_config(std::string_view json_text);

// The socket LocalAPI calls use: the configured one or tailscaled's Linux default.
std::string local_api_socket(const TailscaleConfig& config);

}  // namespace mcpproxy::tunnel_tailscale
