#!/bin/sh
# Adds mcpproxy to Claude Code (user scope). MCPPROXY_TOKEN: this device's own agent token.
# For a quick tunnel, replace the URL with the one `mcpproxy tunnel status` prints (it changes on
# every start).
claude mcp add --transport http --scope user mcpproxy https://mcp.example.com/mcp \
  --header "Authorization: Bearer ${MCPPROXY_TOKEN:?set MCPPROXY_TOKEN to this device's agent token}"
