#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kernel/net/route_table.hpp"
#include "kernel/plugins/plugin_faults.hpp"
#include "mcpproxy/sdk/tunnel_adapter.hpp"

namespace mcpproxy::app {

struct NamedAdapter {
    std::string plugin;
    sdk::TunnelAdapter* adapter = nullptr;
};

// Wraps the tunneled listener's /mcp handler: every loaded tunnel adapter must agree that the
// request really came through its tunnel (TunnelAdapter::verify_request, e.g. a Cloudflare
// Access JWT); otherwise 403 {"error":"not_from_tunnel"} before any auth bridge is asked.
// An adapter that throws says no; the failure goes to `faults`.
// With no adapter loaded the handler is returned unchanged.
net::Handler require_tunnel_origin(net::Handler inner, std::vector<NamedAdapter> adapters,
                                   std::shared_ptr<plugins::PluginFaults> faults);

}  // namespace mcpproxy::app
