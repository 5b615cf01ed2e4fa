#pragma once

#include <string>
#include <vector>

#include "mcpproxy/sdk/http_client.hpp"
#include "upstream/discovery.hpp"
#include "upstream/token_record.hpp"

namespace mcpproxy::oauth {

// RFC 7591 dynamic client registration of mcpproxy as a native (public) client with one loopback
// redirect URI. Throws OAuthFlowError when the server has no registration endpoint or refuses.
[[nodiscard]] ClientRecord register_client(sdk::HttpClient& http, const AuthorizationServer& as,
                                           const std::string& server,
                                           const std::string& redirect_uri,
                                           const std::string& scope);

}  // namespace mcpproxy::oauth
