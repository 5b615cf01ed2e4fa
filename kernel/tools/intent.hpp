#pragma once

#include <mcpproxy/sdk/identity.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "tools/tool_descriptor.hpp"

namespace mcpproxy::tools {

// The permission a tool needs, from its MCP annotations: readOnlyHint == true → read; else
// destructiveHint == true → destructive; otherwise (including no annotations) → write.
// Only JSON booleans count; a hint given as "true" (a string) is ignored.
sdk::Permission required_permission(const nlohmann::json& annotations);
sdk::Permission required_permission(const ToolDescriptor& tool);

inline constexpr std::string_view call_tool_read_name = "call_tool_read";
inline constexpr std::string_view call_tool_write_name = "call_tool_write";
inline constexpr std::string_view call_tool_destructive_name = "call_tool_destructive";

// "call_tool_read" / "call_tool_write" / "call_tool_destructive".
std::string_view call_variant_for(sdk::Permission permission);
// The inverse of call_variant_for; nullopt for any other name.
std::optional<sdk::Permission> permission_for_call_variant(std::string_view variant_name);

// Permissions are cumulative (destructive ⊇ write ⊇ read), so a caller may declare more intent than
// a tool needs, never less. Returns nullopt when `declared` covers `required`, otherwise the tool
// error to show, naming the variant to use. `tool_id` is the "server:tool" id the caller used.
std::optional<std::string> intent_mismatch(sdk::Permission declared, sdk::Permission required,
                                           std::string_view tool_id);

}  // namespace mcpproxy::tools
