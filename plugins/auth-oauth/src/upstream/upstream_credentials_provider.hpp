#pragma once

#include <functional>
#include <string>

#include "mcpproxy/sdk/upstream_credentials.hpp"
#include "upstream/token_snapshot.hpp"

namespace mcpproxy::oauth {

// The SDK's UpstreamCredentials from the in-memory snapshot: never blocks, never does I/O.
// on_unauthorized (see README.md, "Upstream servers"):
//   - the snapshot holds a token never handed out yet (a login or refresh finished after the
//     request left) -> retry;
//   - otherwise the token was refused: once per token, a refresh is requested when a refresh
//     token exists -> login_needed "being refreshed, try again"; without one -> login_needed
//     "run `mcpproxy auth login --server NAME`";
//   - no token and no Bearer challenge -> not_mine.
class UpstreamCredentialsProvider final : public sdk::UpstreamCredentials {
public:
    using RefreshRequest = std::function<void(const std::string& server)>;
    UpstreamCredentialsProvider(TokenSnapshot& snapshot, RefreshRequest request_refresh);

    [[nodiscard]] std::vector<sdk::HeaderField> headers_for(std::string_view server,
                                                            std::string_view url) override;
    sdk::UnauthorizedAnswer on_unauthorized(std::string_view server, std::string_view url,
                                            std::string_view www_authenticate) override;

private:
    TokenSnapshot& snapshot_;
    RefreshRequest request_refresh_;
};

[[nodiscard]] std::string login_command(std::string_view server);

}  // namespace mcpproxy::oauth
