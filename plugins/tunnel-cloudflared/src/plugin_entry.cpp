#include "cloudflared_plugin.hpp"

MCPPROXY_PLUGIN(mcpproxy::tunnel_cloudflared::CloudflaredPlugin, "tunnel-cloudflared",
                "tunnel_adapter", "0.1.0",
                "Cloudflare Tunnel (quick or named) in front of the tunneled listener", "")
