#include "credential_extract.hpp"

#include "token_format.hpp"

namespace mcpproxy::agent_token {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i];
        char y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

// "Bearer <credential>" (scheme case-insensitive, RFC 9110); anything else yields nullopt.
std::optional<std::string_view> bearer_credential(std::string_view value) {
    value = trim(value);
    const auto space = value.find_first_of(" \t");
    if (space == std::string_view::npos || !iequals(value.substr(0, space), "bearer"))
        return std::nullopt;
    return trim(value.substr(space));
}

}  // namespace

std::optional<std::string_view> find_agent_token(const sdk::RequestView& request,
                                                 bool accept_x_api_key) {
    if (const auto authorization = request.header("Authorization")) {
        if (const auto credential = bearer_credential(*authorization);
            credential && has_token_prefix(*credential)) {
            return credential;
        }
    }
    if (accept_x_api_key) {
        if (const auto key = request.header("X-API-Key")) {
            const auto credential = trim(*key);
            if (has_token_prefix(credential)) return credential;
        }
    }
    return std::nullopt;
}

}  // namespace mcpproxy::agent_token
