#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mcpproxy/sdk/identity.hpp"
#include "token_hash.hpp"

namespace mcpproxy::agent_token {

using Seconds = std::chrono::sys_seconds;

// One agent token as stored. Holds the HMAC of the secret, never the secret.
struct TokenRecord {
    std::int64_t id = 0;
    std::string name;
    TokenHash hash{};
    std::vector<std::string> allowed_servers{"*"};
    sdk::Permission permission = sdk::Permission::read;
    sdk::Limits limits;
    Seconds created_at{};
    Seconds expires_at{};
    std::optional<Seconds> last_used_at;
    std::optional<Seconds> revoked_at;
    // After `regenerate --grace`, the replaced secret's hash and until when it is still accepted.
    std::optional<TokenHash> previous_hash;
    std::optional<Seconds> previous_valid_until;
    std::int64_t revision =
        0;  // the store-wide change counter value of the last change to this row

    [[nodiscard]] bool revoked() const noexcept { return revoked_at.has_value(); }
};

enum class TokenStatus { active, expired, revoked };

[[nodiscard]] inline TokenStatus status_at(const TokenRecord& r, Seconds now) noexcept {
    if (r.revoked()) return TokenStatus::revoked;
    if (now >= r.expires_at) return TokenStatus::expired;
    return TokenStatus::active;
}

[[nodiscard]] inline const char* status_name(TokenStatus s) noexcept {
    switch (s) {
        case TokenStatus::active:
            return "active";
        case TokenStatus::expired:
            return "expired";
        case TokenStatus::revoked:
            return "revoked";
    }
    return "active";
}

}  // namespace mcpproxy::agent_token
