#include "tools/tool_names.hpp"

namespace mcpproxy::tools {
namespace {

bool is_ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::optional<ToolNameParts> split_at(std::string_view name, std::size_t separator_at,
                                      std::size_t separator_size) {
    if (separator_at == std::string_view::npos) return std::nullopt;
    ToolNameParts parts{name.substr(0, separator_at), name.substr(separator_at + separator_size)};
    if (!is_valid_server_name(parts.server) || parts.tool.empty()) return std::nullopt;
    return parts;
}

}  // namespace

bool is_valid_server_name(std::string_view server) {
    if (server.empty() || !is_ascii_alnum(server.front())) return false;
    for (const char c : server) {
        if (!is_ascii_alnum(c) && c != '_' && c != '-') return false;
    }
    return server.find(direct_name_separator) == std::string_view::npos;
}

std::string direct_name(std::string_view server, std::string_view tool) {
    std::string name;
    name.reserve(server.size() + direct_name_separator.size() + tool.size());
    name.append(server).append(direct_name_separator).append(tool);
    return name;
}

std::optional<ToolNameParts> split_direct_name(std::string_view public_name) {
    return split_at(public_name, public_name.find(direct_name_separator),
                    direct_name_separator.size());
}

std::string qualified_id(std::string_view server, std::string_view tool) {
    std::string id;
    id.reserve(server.size() + 1 + tool.size());
    id.append(server).append(1, qualified_id_separator).append(tool);
    return id;
}

std::optional<ToolNameParts> split_qualified_id(std::string_view id) {
    return split_at(id, id.find(qualified_id_separator), 1);
}

}  // namespace mcpproxy::tools
