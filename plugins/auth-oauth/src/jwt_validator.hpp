#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "jwk_set.hpp"

namespace mcpproxy::oauth {

struct JwtRules {
    std::string issuer;    // "iss" must equal it exactly
    std::string audience;  // "aud" (a string or a list) must contain it: this proxy's resource URL
    std::chrono::seconds leeway{60};  // for exp / nbf / iat
    std::set<std::string> algorithms{"RS256", "ES256", "EdDSA"};
    std::string groups_claim = "groups";
};

struct TokenClaims {
    std::string subject;
    std::string email;
    std::vector<std::string> groups;
    std::set<std::string> scopes;  // "scope" (space-separated) or "scp" (list or string)
};

struct JwtVerdict {
    bool valid = false;
    TokenClaims claims;
    // Short code for logs and the activity log: malformed, unsupported_alg, unknown_kid,
    // bad_signature, wrong_issuer, wrong_audience, expired, not_yet_valid.
    std::string error;
};

// Three base64url parts separated by dots, the first decoding to a JSON object with "alg".
[[nodiscard]] bool looks_like_jwt(std::string_view token);

// Verifies the signature with the key named by "kid" (the key's type must fit "alg"; "none" and
// HMAC are never accepted), then iss, aud, exp, nbf. Never throws.
[[nodiscard]] JwtVerdict validate_jwt(std::string_view token, const JwkSet& keys,
                                      const JwtRules& rules,
                                      std::chrono::system_clock::time_point now);

}  // namespace mcpproxy::oauth
