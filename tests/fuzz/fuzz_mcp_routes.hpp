#pragma once

#include <memory>

#include "kernel/net/route_table.hpp"

namespace mcpproxy::fuzz {

// A route table shaped like a listener's real one: /mcp parses JSON-RPC (single messages and
// batches, the depth-limited parser the endpoint uses) and answers JSON or, for the method
// "stream", an SSE stream; /healthz answers text; a prefix route like /ui/.
std::shared_ptr<const net::RouteTable> make_mcp_like_routes();

}  // namespace mcpproxy::fuzz
