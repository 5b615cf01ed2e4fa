#!/bin/sh
# Adds mcpproxy to Claude Code (user scope). MCPPROXY_TOKEN: this device's own agent token.
# The URL is https://<machine>.<tailnet>.ts.net/mcp (`mcpproxy tunnel status` prints it); add
# :8443 or :10000 when the plugin's "https_port" is one of those.
claude mcp add --transport http --scope user mcpproxy https://mcp-box.tail1234.ts.net/mcp \
  --header "Authorization: Bearer ${MCPPROXY_TOKEN:?set MCPPROXY_TOKEN to this device's agent token}"
