#pragma once

#include <openssl/crypto.h>

#include <array>
#include <cstddef>
#include <cstring>

namespace mcpproxy::agent_token {

// HMAC-SHA-256(key, token): what the store keeps instead of the secret.
using TokenHash = std::array<unsigned char, 32>;

// The hash is keyed and uniformly distributed, so its first bytes are a good bucket index.
struct TokenHashHasher {
    std::size_t operator()(const TokenHash& h) const noexcept {
        std::size_t v = 0;
        std::memcpy(&v, h.data(), sizeof v);
        return v;
    }
};

// Constant-time equality, so comparing a presented hash with a stored one leaks no prefix length.
struct TokenHashEqual {
    bool operator()(const TokenHash& a, const TokenHash& b) const noexcept {
        return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
    }
};

}  // namespace mcpproxy::agent_token
