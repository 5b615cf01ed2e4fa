// The plugin's exported entry points; everything else lives in tunnel_ngrok_core.
#include "mcpproxy/sdk/plugin.hpp"
#include "ngrok_plugin.hpp"

using mcpproxy::tunnel_ngrok::NgrokPlugin;

MCPPROXY_PLUGIN(NgrokPlugin, "tunnel-ngrok", "tunnel_adapter", "0.1.0",
                "ngrok agent (v3) in front of the tunneled listener", "")
