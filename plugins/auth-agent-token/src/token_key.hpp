#pragma once

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>

namespace mcpproxy::agent_token {

inline constexpr std::size_t kKeyBytes = 32;

// The per-install HMAC key. Wiped from memory when destroyed; never printed.
class TokenKey {
public:
    explicit TokenKey(std::span<const unsigned char, kKeyBytes> bytes) noexcept {
        std::copy(bytes.begin(), bytes.end(), bytes_.begin());
    }
    TokenKey(const TokenKey&) = default;
    TokenKey& operator=(const TokenKey&) = default;
    ~TokenKey() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

    [[nodiscard]] std::span<const unsigned char, kKeyBytes> bytes() const noexcept {
        return bytes_;
    }

private:
    std::array<unsigned char, kKeyBytes> bytes_{};
};

}  // namespace mcpproxy::agent_token
