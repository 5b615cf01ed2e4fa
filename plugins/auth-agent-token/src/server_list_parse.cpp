#include "server_list_parse.hpp"

#include <algorithm>
#include <stdexcept>

#include "display_text.hpp"

namespace mcpproxy::agent_token {
namespace {

constexpr std::size_t kMaxServerName = 128;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

void validate_server_name(std::string_view name) {
    if (name.size() > kMaxServerName) {
        throw std::invalid_argument("server name '" + display_text(name) +
                                    "' is longer than 128 characters");
    }
    for (char c : name) {
        if (c <= 0x20 || c >= 0x7f || c == '*') {
            throw std::invalid_argument(
                "invalid server name '" + display_text(name) +
                "': no spaces, control characters or '*' (use * alone for every server)");
        }
    }
}

}  // namespace

std::vector<std::string> parse_server_list(std::string_view csv) {
    if (trim(csv) == "*") return {"*"};
    std::vector<std::string> out;
    std::string_view rest = csv;
    while (true) {
        const auto comma = rest.find(',');
        const std::string_view item = trim(rest.substr(0, comma));
        if (item.empty()) {
            throw std::invalid_argument(
                "empty server name in '" + display_text(csv) +
                "': use * for every server or a comma-separated list like github,filesystem");
        }
        validate_server_name(item);
        if (std::find(out.begin(), out.end(), item) == out.end()) out.emplace_back(item);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return out;
}

std::string join_server_list(const std::vector<std::string>& servers) {
    std::string out;
    for (const auto& s : servers) {
        if (!out.empty()) out += ',';
        out += s;
    }
    return out;
}

}  // namespace mcpproxy::agent_token
