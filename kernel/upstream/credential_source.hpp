#pragma once

#include <string_view>
#include <vector>

#include "mcpproxy/sdk/upstream_credentials.hpp"

namespace mcpproxy::upstream {

// Where the HTTP transport gets credentials for an upstream (e.g. OAuth tokens held by a plugin)
// and a verdict on a 401. Both calls run on I/O threads for every request: implementations
// answer from memory and never throw.
class CredentialSource {
public:
    virtual ~CredentialSource() = default;
    // Headers to add to the next request to `server` at `url`; empty: none.
    [[nodiscard]] virtual std::vector<sdk::HeaderField> headers_for(std::string_view server,
                                                                    std::string_view url) = 0;
    [[nodiscard]] virtual sdk::UnauthorizedAnswer on_unauthorized(
        std::string_view server, std::string_view url, std::string_view www_authenticate) = 0;
};

}  // namespace mcpproxy::upstream
