#!/bin/sh
# Adds mcpproxy to Claude Code (user scope). MCPPROXY_TOKEN: this device's own agent token.
# The URL is what `mcpproxy tunnel status` prints; without a reserved domain ("url" in the plugin's
# config) it changes every time ngrok starts, so run this again after a restart.
claude mcp add --transport http --scope user mcpproxy "${MCPPROXY_URL:?set MCPPROXY_URL, e.g. https://abc123.ngrok-free.app/mcp}" \
  --header "Authorization: Bearer ${MCPPROXY_TOKEN:?set MCPPROXY_TOKEN to this device's agent token}"
