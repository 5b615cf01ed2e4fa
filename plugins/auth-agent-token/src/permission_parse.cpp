#include "permission_parse.hpp"

#include <stdexcept>

#include "display_text.hpp"

namespace mcpproxy::agent_token {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

}  // namespace

sdk::Permission parse_permissions(std::string_view csv) {
    bool read = false;
    bool write = false;
    bool destructive = false;
    std::string_view rest = csv;
    while (true) {
        const auto comma = rest.find(',');
        const std::string item = lower(trim(rest.substr(0, comma)));
        if (item == "read") {
            read = true;
        } else if (item == "write") {
            write = true;
        } else if (item == "destructive") {
            destructive = true;
        } else if (item.empty()) {
            throw std::invalid_argument("empty permission in '" + display_text(csv) +
                                        "': use read, write or destructive, comma-separated");
        } else {
            throw std::invalid_argument("unknown permission '" + display_text(item) +
                                        "': use read, write or destructive");
        }
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    if (!read)
        throw std::invalid_argument("permissions must include read (for example read,write)");
    if (destructive && !write) {
        throw std::invalid_argument("destructive needs write too: use read,write,destructive");
    }
    if (destructive) return sdk::Permission::destructive;
    if (write) return sdk::Permission::write;
    return sdk::Permission::read;
}

std::string permission_list(sdk::Permission p) {
    switch (p) {
        case sdk::Permission::read:
            return "read";
        case sdk::Permission::write:
            return "read,write";
        case sdk::Permission::destructive:
            return "read,write,destructive";
    }
    return "read";
}

std::string_view permission_level(sdk::Permission p) {
    switch (p) {
        case sdk::Permission::read:
            return "read";
        case sdk::Permission::write:
            return "write";
        case sdk::Permission::destructive:
            return "destructive";
    }
    return "read";
}

std::optional<sdk::Permission> permission_from_level(std::string_view level) {
    if (level == "read") return sdk::Permission::read;
    if (level == "write") return sdk::Permission::write;
    if (level == "destructive") return sdk::Permission::destructive;
    return std::nullopt;
}

}  // namespace mcpproxy::agent_token
