#pragma once

#include <string>
#include <string_view>

namespace mcpproxy::agent_token {

// User input echoed in an error message: control and non-ASCII bytes become '?', long input is cut.
[[nodiscard]] inline std::string display_text(std::string_view text) {
    constexpr std::size_t kMax = 80;
    std::string out;
    for (char c : text.substr(0, kMax)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
    if (text.size() > kMax) out += "...";
    return out;
}

}  // namespace mcpproxy::agent_token
