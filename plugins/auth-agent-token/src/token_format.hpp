#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mcpproxy::agent_token {

inline constexpr std::string_view kTokenPrefix = "mcp_agt_";
inline constexpr std::size_t kTokenSecretBytes = 32;
inline constexpr std::size_t kTokenLength = kTokenPrefix.size() + 2 * kTokenSecretBytes;

// A new secret: "mcp_agt_" + 64 lowercase hex digits from 32 CSPRNG bytes.
[[nodiscard]] std::string generate_token();

// Whether the credential claims to be an agent token (prefix, ignoring case), so that this bridge
// owns it even if it turns out to be malformed.
[[nodiscard]] bool has_token_prefix(std::string_view credential) noexcept;

// The strict, cheap check run before any hashing or lookup: exact length, exact prefix, lowercase
// hex.
[[nodiscard]] bool is_well_formed_token(std::string_view credential) noexcept;

}  // namespace mcpproxy::agent_token
