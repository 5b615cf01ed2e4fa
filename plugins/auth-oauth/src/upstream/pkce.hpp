#pragma once

#include <string>
#include <string_view>

namespace mcpproxy::oauth {

// `bytes` bytes from the OS-seeded CSPRNG (OpenSSL RAND_bytes), base64url without padding.
// Throws std::runtime_error when the generator fails.
[[nodiscard]] std::string random_urlsafe(std::size_t bytes);

// RFC 7636: a 43-character verifier (32 random bytes) and its S256 challenge.
struct PkcePair {
    std::string verifier;   // secret
    std::string challenge;  // base64url(SHA-256(verifier))
};
[[nodiscard]] PkcePair make_pkce();
[[nodiscard]] std::string s256_challenge(std::string_view verifier);

}  // namespace mcpproxy::oauth
