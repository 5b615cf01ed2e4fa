#pragma once

// RS256 JWTs and a JWKS document for the Cloudflare Access tests (OpenSSL 3).

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using EVP_PKEY = struct evp_pkey_st;

namespace mcpproxy::test {

std::string base64url(std::string_view bytes);

class RsaKey {
public:
    RsaKey();  // a fresh RSA-2048 key
    [[nodiscard]] nlohmann::json jwk(
        const std::string& kid) const;  // {"kid","kty","alg","use","n","e"}
    [[nodiscard]] std::string sign(std::string_view data) const;  // RS256 signature bytes

private:
    std::shared_ptr<EVP_PKEY> key_;
};

// header.payload.signature with {"alg":"RS256","kid":kid,"typ":"JWT"}.
std::string make_jwt(const RsaKey& key, const std::string& kid, const nlohmann::json& payload);
// {"keys": [jwk...]} from (kid, key) pairs.
std::string jwks_document(const std::vector<std::pair<std::string, const RsaKey*>>& keys);

}  // namespace mcpproxy::test
