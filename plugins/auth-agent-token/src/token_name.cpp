#include "token_name.hpp"

#include <stdexcept>
#include <string>

#include "display_text.hpp"

namespace mcpproxy::agent_token {
namespace {

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

void validate_token_name(std::string_view name) {
    if (name.empty()) throw std::invalid_argument("token name is empty");
    if (name.size() > 64) throw std::invalid_argument("token name is longer than 64 characters");
    bool ok = is_alnum(name.front());
    for (char c : name.substr(1)) ok = ok && (is_alnum(c) || c == '_' || c == '-');
    if (!ok) {
        throw std::invalid_argument(
            "invalid token name '" + display_text(name) +
            "': use letters, digits, '_' and '-', starting with a letter or digit");
    }
}

}  // namespace mcpproxy::agent_token
