#pragma once

#include <optional>
#include <string_view>

#include "mcpproxy/sdk/request_view.hpp"

namespace mcpproxy::agent_token {

// The agent-token credential a request carries: from `Authorization: Bearer <t>` when <t> has the
// mcp_agt_ prefix, else from `X-API-Key: <t>` (when accepted) with that prefix. Never from the
// query string. nullopt means the request carries no agent token (another bridge may own it).
// The view points into the request and is valid only while the request is.
[[nodiscard]] std::optional<std::string_view> find_agent_token(const sdk::RequestView& request,
                                                               bool accept_x_api_key);

}  // namespace mcpproxy::agent_token
