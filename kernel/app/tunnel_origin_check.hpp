#pragma once

#include <vector>

#include "kernel/net/route_table.hpp"
#include "mcpproxy/sdk/tunnel_adapter.hpp"

namespace mcpproxy::app {

// Wraps the tunneled listener's /mcp handler: every loaded tunnel adapter must agree that the
// request really came through its tunnel (TunnelAdapter::verify_request, e.g. a Cloudflare
// Access JWT); otherwise 403 {"error":"not_from_tunnel"} before any auth bridge is asked.
// With no adapter loaded the handler is returned unchanged.
net::Handler require_tunnel_origin(net::Handler inner, std::vector<sdk::TunnelAdapter*> adapters);

}  // namespace mcpproxy::app
