#pragma once

#include <cstddef>
#include <mcpproxy/sdk/identity.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "tools/catalog.hpp"

namespace mcpproxy::tools {

// The tools a client sees in retrieve_tools routing mode: a search tool and three call tools, one
// per intent (see intent.hpp). Upstream tools are named "server:tool" here.
inline constexpr std::string_view retrieve_tools_name = "retrieve_tools";
inline constexpr std::size_t retrieve_tools_default_limit = 10;
inline constexpr std::size_t retrieve_tools_max_limit = 50;

// MCP tool definitions (tools/list entries).
nlohmann::json retrieve_tools_definition();
nlohmann::json call_tool_definition(sdk::Permission variant);
// All four, in the order retrieve_tools, call_tool_read, call_tool_write, call_tool_destructive.
nlohmann::json meta_tools_list();
bool is_meta_tool(std::string_view name);

// Invalid meta-tool arguments: the message is meant for the model (return it as a tool error).
struct ArgumentError {
    std::string message;
};

struct RetrieveToolsArgs {
    std::string query;
    std::size_t limit = retrieve_tools_default_limit;
};
// `arguments` is tools/call params.arguments (null if absent). Needs a non-blank string `query`;
// `limit`, if given, must be an integer from 1 to retrieve_tools_max_limit.
std::variant<RetrieveToolsArgs, ArgumentError> parse_retrieve_tools_args(
    const nlohmann::json& arguments);

// The tools/call result for retrieve_tools: the best `limit` tools the filter lets through, as
// structuredContent {"tools": [{name "server:tool", server, tool, description, inputSchema,
// annotations, call_with, score}]} with the same JSON as text content.
nlohmann::json retrieve_tools_result(const Catalog& catalog, std::string_view query,
                                     std::size_t limit, const ToolFilter& filter = {});

struct CallToolArgs {
    std::string server;
    std::string tool;
    nlohmann::json args;  // always an object
};
// Arguments of call_tool_read/write/destructive: `name` "server:tool" (required) and `args`, the
// tool's own arguments (an object; absent or null means {}).
std::variant<CallToolArgs, ArgumentError> parse_call_tool_args(const nlohmann::json& arguments);

struct ResolvedCall {
    ToolRef target;
    nlohmann::json args;
};
// Parses call_tool_* arguments, finds the tool among those the filter lets through (a hidden tool
// is reported as unknown) and checks that the variant's intent covers the tool's annotations.
std::variant<ResolvedCall, ArgumentError> resolve_call_tool(const Catalog& catalog,
                                                            sdk::Permission variant,
                                                            const nlohmann::json& arguments,
                                                            const ToolFilter& filter = {});

}  // namespace mcpproxy::tools
