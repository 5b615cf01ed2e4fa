#pragma once

#include <functional>

#include "cli_commands.hpp"
#include "mcpproxy/sdk/route.hpp"

namespace mcpproxy::agent_token {

// The token REST API under /api/v1/tokens on the management listener (the host checks the admin
// key before the handler runs):
//   GET    tokens                  list, never a secret
//   POST   tokens                  {name, servers, permissions, expires, limits} -> 201, secret
//   once GET    tokens/NAME             one token POST   tokens/NAME/revoke      revoke (200 again
//   when already revoked) POST   tokens/NAME/regenerate  {grace, expires} -> 200, the new secret
//   once DELETE tokens/NAME             delete
// Errors are {"error": code, "message": text} with 400, 404, 405 or 409. Each call opens tokens.db
// itself, exactly as the CLI does, so both always act on the same store; running bridges see the
// change through their data_version poll, which after_change (called once a call that changes
// the store has answered successfully) can run at once.
[[nodiscard]] sdk::RouteSpec token_route(CommandEnvironment env,
                                         std::function<void()> after_change = {});

// The handler behind token_route, for tests.
[[nodiscard]] sdk::RouteResponse handle_token_request(const sdk::RouteRequest& request,
                                                      const CommandEnvironment& env);

}  // namespace mcpproxy::agent_token
