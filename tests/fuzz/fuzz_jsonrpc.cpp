// JSON-RPC / MCP message handling: the depth-limited parser the /mcp endpoint uses, message
// classification, the reply builders, protocol-version negotiation, tool-name splitting and the
// Host/Origin checks — everything a client's bytes and headers reach before a dispatch.
#include <cstdint>
#include <string>
#include <string_view>

#include "kernel/mcp/origin_guard.hpp"
#include "kernel/protocol/jsonrpc.hpp"
#include "kernel/protocol/protocol_versions.hpp"
#include "kernel/tools/tool_names.hpp"

namespace {

using namespace mcpproxy;
using protocol::Json;

void check_names(std::string_view name) {
    if (auto parts = tools::split_direct_name(name)) {
        if (!tools::is_valid_server_name(parts->server) || parts->tool.empty()) __builtin_trap();
        (void)tools::direct_name(parts->server, parts->tool);
    }
    if (auto parts = tools::split_qualified_id(name)) {
        if (tools::qualified_id(parts->server, parts->tool) != name) __builtin_trap();
    }
}

void handle(const Json& message) {
    const auto kind = protocol::classify(message);
    const std::string method = protocol::method_of(message);
    Json reply;
    if (kind == protocol::MessageKind::request) {
        reply = protocol::make_result(message["id"], Json::object());
        const auto params = message.find("params");
        if (params != message.end() && params->is_object()) {
            const auto name = params->find("name");
            if (name != params->end() && name->is_string()) check_names(name->get<std::string>());
            const auto version = params->find("protocolVersion");
            if (version != params->end() && version->is_string()) {
                const auto chosen = protocol::negotiate_version(version->get<std::string>());
                if (!protocol::is_supported_version(chosen)) __builtin_trap();
                (void)protocol::allows_batches(chosen);
            }
        }
    } else if (kind == protocol::MessageKind::invalid) {
        reply = protocol::make_error(nullptr, protocol::error_code::invalid_request, method);
    }
    // What the endpoint does with every reply: serialise it (invalid UTF-8 replaced).
    (void)reply.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    protocol::ParseFailure failure;
    if (auto parsed = protocol::parse_json(text, failure)) {
        if (parsed->is_array()) {
            for (const auto& m : *parsed) handle(m);
        } else {
            handle(*parsed);
        }
    } else if (failure.reason.empty()) {
        __builtin_trap();  // a failure always says why
    }
    // The same bytes as request headers: Host and Origin go through the listener's guard.
    static mcp::OriginGuard guard(util::HostPort{"127.0.0.1", 8080}, {"mcp.example.com"},
                                  {"https://app.example.com"});
    const auto newline = text.find('\n');
    const auto host = text.substr(0, newline);
    (void)guard.host_allowed(host);
    (void)mcp::host_without_port(host);
    if (newline != std::string_view::npos) (void)guard.origin_allowed(text.substr(newline + 1));
    check_names(text);
    return 0;
}
