#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mcpproxy::oauth {

// RFC 4648 section 5 without padding (padding is tolerated when decoding).
[[nodiscard]] std::optional<std::string> base64url_decode(std::string_view text);
[[nodiscard]] std::string base64url_encode(std::string_view bytes);

}  // namespace mcpproxy::oauth
