#pragma once

#include <openssl/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "token_hash.hpp"
#include "token_key.hpp"

namespace mcpproxy::agent_token {

// Computes HMAC-SHA-256 of a token under the install key. Thread-safe: each thread hashes with its
// own copy of a context that was keyed once at construction, made on the thread's first call and
// re-initialised (not re-copied) on every later one, so a request costs no context allocation.
class TokenHasher {
public:
    explicit TokenHasher(const TokenKey& key);
    ~TokenHasher();
    TokenHasher(const TokenHasher&) = delete;
    TokenHasher& operator=(const TokenHasher&) = delete;

    [[nodiscard]] TokenHash hash(std::string_view token) const;
    // hash(), remembering the last token this thread hashed with this hasher: a client sends the
    // same token on every request, so the HMAC runs once per thread and token rather than once
    // per request. The presented token is compared with the remembered one in constant time; the
    // hash only finds the record, whose revocation and expiry are checked on every request.
    [[nodiscard]] TokenHash hash_repeated(std::string_view token) const;

    // A value derived from the key that identifies it without revealing it; the store keeps it to
    // notice a replaced or lost key file.
    [[nodiscard]] std::string key_fingerprint() const;

private:
    EVP_MAC_CTX* keyed_ = nullptr;
    // Tells a thread's cached context apart from one keyed by an earlier hasher, even one that
    // lived at the same address.
    std::uint64_t generation_;
};

}  // namespace mcpproxy::agent_token
