#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mcpproxy::util {

// Text from outside (a plugin, a daemon's output) made safe to show, log and put in JSON: invalid
// UTF-8 becomes U+FFFD, control characters become spaces, and it is cut to at most max_bytes on
// a character boundary, "…" marking the cut.
[[nodiscard]] std::string plain_text(std::string_view text, std::size_t max_bytes);

}  // namespace mcpproxy::util
