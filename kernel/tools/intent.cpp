#include "tools/intent.hpp"

namespace mcpproxy::tools {
namespace {

bool hint_is_true(const nlohmann::json& annotations, const char* hint) {
    if (!annotations.is_object()) return false;
    const auto it = annotations.find(hint);
    return it != annotations.end() && it->is_boolean() && it->get<bool>();
}

std::string_view describe(sdk::Permission permission) {
    switch (permission) {
        case sdk::Permission::read:
            return "read-only";
        case sdk::Permission::write:
            return "a write tool (it may change data)";
        case sdk::Permission::destructive:
            return "destructive (it may delete or overwrite data)";
    }
    return "of unknown kind";
}

}  // namespace

sdk::Permission required_permission(const nlohmann::json& annotations) {
    if (hint_is_true(annotations, "readOnlyHint")) return sdk::Permission::read;
    if (hint_is_true(annotations, "destructiveHint")) return sdk::Permission::destructive;
    return sdk::Permission::write;
}

sdk::Permission required_permission(const ToolDescriptor& tool) {
    return required_permission(tool.annotations);
}

std::string_view call_variant_for(sdk::Permission permission) {
    switch (permission) {
        case sdk::Permission::read:
            return call_tool_read_name;
        case sdk::Permission::write:
            return call_tool_write_name;
        case sdk::Permission::destructive:
            return call_tool_destructive_name;
    }
    // Not reachable with a valid enumerator; the strictest variant is the safe answer.
    return call_tool_destructive_name;
}

std::optional<sdk::Permission> permission_for_call_variant(std::string_view variant_name) {
    if (variant_name == call_tool_read_name) return sdk::Permission::read;
    if (variant_name == call_tool_write_name) return sdk::Permission::write;
    if (variant_name == call_tool_destructive_name) return sdk::Permission::destructive;
    return std::nullopt;
}

std::optional<std::string> intent_mismatch(sdk::Permission declared, sdk::Permission required,
                                           std::string_view tool_id) {
    if (declared >= required) return std::nullopt;
    std::string message = "tool \"";
    message.append(tool_id).append("\" is ").append(describe(required));
    message.append("; call it with ").append(call_variant_for(required));
    message.append(", not ").append(call_variant_for(declared));
    return message;
}

}  // namespace mcpproxy::tools
