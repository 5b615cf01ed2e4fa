#pragma once

#include <cstdint>

namespace mcpproxy::tunnel_common {

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0 and released), for a
// daemon's local API address (cloudflared --metrics, ngrok's web_addr). Throws on failure.
std::uint16_t pick_free_loopback_port();

}  // namespace mcpproxy::tunnel_common
