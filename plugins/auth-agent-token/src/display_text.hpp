#pragma once

#include <string>
#include <string_view>

#include "token_format.hpp"

namespace mcpproxy::agent_token {

// User input echoed in an error message: control and non-ASCII bytes become '?', long input is cut,
// and a secret pasted into the wrong option is never echoed.
[[nodiscard]] inline std::string display_text(std::string_view text) {
    if (text.find("mcp_agt_") != std::string_view::npos || has_token_prefix(text))
        return "(an agent token, not shown)";
    constexpr std::size_t kMax = 80;
    std::string out;
    for (char c : text.substr(0, kMax)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
    if (text.size() > kMax) out += "...";
    return out;
}

}  // namespace mcpproxy::agent_token
