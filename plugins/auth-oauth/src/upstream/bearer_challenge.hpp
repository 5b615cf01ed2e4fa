#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mcpproxy::oauth {

// The Bearer challenge of a WWW-Authenticate header (RFC 6750 §3, RFC 9728 §5.1).
struct BearerChallenge {
    std::string resource_metadata;
    std::string scope;
    std::string error;
};

// nullopt when the header holds no Bearer challenge. Tolerates other challenges before or after
// it, quoted or bare parameter values, and any case of the scheme and parameter names.
[[nodiscard]] std::optional<BearerChallenge> parse_bearer_challenge(std::string_view header);

}  // namespace mcpproxy::oauth
