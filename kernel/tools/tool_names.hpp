#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mcpproxy::tools {

// The two ways a client names an upstream tool:
//   direct mode:          "<server>__<tool>"  (a tools/list name, so no ':' that some clients
//   reject) retrieve_tools mode:  "<server>:<tool>"   (the id retrieve_tools returns and
//   call_tool_* accept)
// Server names match ^[A-Za-z0-9][A-Za-z0-9_-]*$ and never contain "__", so both forms split on
// the first separator. Tool names are the upstream's own and may contain anything.
inline constexpr std::string_view direct_name_separator = "__";
inline constexpr char qualified_id_separator = ':';

// The parts of a split name; views into the string that was split.
struct ToolNameParts {
    std::string_view server;
    std::string_view tool;
};

bool is_valid_server_name(std::string_view server);

std::string direct_name(std::string_view server, std::string_view tool);
// Splits on the first "__"; nullopt unless the server part is a valid name and the tool part is
// not empty.
std::optional<ToolNameParts> split_direct_name(std::string_view public_name);

std::string qualified_id(std::string_view server, std::string_view tool);
// Splits on the first ':'; nullopt unless the server part is a valid name and the tool part is
// not empty.
std::optional<ToolNameParts> split_qualified_id(std::string_view id);

}  // namespace mcpproxy::tools
