// The plugin's exported entry points; everything else lives in tunnel_tailscale_core.
#include "mcpproxy/sdk/plugin.hpp"
#include "tailscale_plugin.hpp"

using mcpproxy::tunnel_tailscale::TailscalePlugin;

MCPPROXY_PLUGIN(TailscalePlugin, "tunnel-tailscale", "tunnel_adapter", "0.1.0",
                "Tailscale Serve (tailnet) or Funnel (public) in front of the tunneled listener",
                "")
