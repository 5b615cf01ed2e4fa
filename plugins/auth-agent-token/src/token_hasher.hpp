#pragma once

#include <openssl/types.h>

#include <memory>
#include <string>
#include <string_view>

#include "token_hash.hpp"
#include "token_key.hpp"

namespace mcpproxy::agent_token {

// Computes HMAC-SHA-256 of a token under the install key. Thread-safe: each call works on its own
// copy of a context that was keyed once at construction.
class TokenHasher {
public:
    explicit TokenHasher(const TokenKey& key);
    ~TokenHasher();
    TokenHasher(const TokenHasher&) = delete;
    TokenHasher& operator=(const TokenHasher&) = delete;

    [[nodiscard]] TokenHash hash(std::string_view token) const;

    // A value derived from the key that identifies it without revealing it; the store keeps it to
    // notice a replaced or lost key file.
    [[nodiscard]] std::string key_fingerprint() const;

private:
    EVP_MAC_CTX* keyed_ = nullptr;
};

}  // namespace mcpproxy::agent_token
