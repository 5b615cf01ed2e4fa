#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "mcpproxy/sdk/http_client.hpp"

namespace mcpproxy::oauth {

// How this client authenticates at a token endpoint.
struct TokenClient {
    std::string token_endpoint;
    std::string client_id;
    std::string client_secret;  // secret; empty for a public client
    std::string auth_method;    // none, client_secret_basic, client_secret_post
};

struct IssuedTokens {
    std::string access_token;   // secret
    std::string refresh_token;  // secret; empty when none was issued
    std::string scope;
    std::int64_t expires_in = 0;  // seconds; 0: not given
};

struct TokenAnswer {
    enum class Kind {
        issued,
        rejected,  // invalid_grant: the code or refresh token is no good; a person must log in
        failed,    // anything else (network, 5xx, 429, malformed): worth retrying later
    };
    Kind kind = Kind::failed;
    IssuedTokens tokens;
    std::string problem;  // safe to log: the OAuth error code and description, or the HTTP error
};

// POSTs a grant to the token endpoint with the client's authentication.
[[nodiscard]] TokenAnswer request_tokens(sdk::HttpClient& http, const TokenClient& client,
                                         std::vector<std::pair<std::string, std::string>> grant);

// Parses a token endpoint answer (exposed for tests).
[[nodiscard]] TokenAnswer read_token_answer(const sdk::HttpClientResponse& res);

}  // namespace mcpproxy::oauth
