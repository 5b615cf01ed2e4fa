#include "echo_mcp_handler.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdint>

namespace bench {
namespace json = boost::json;

namespace {

constexpr std::string_view default_protocol_version = "2025-06-18";
constexpr std::int64_t max_repeat = 10'000;

json::value error_reply(const json::value& id, int code, std::string_view message) {
    return json::object{{"jsonrpc", "2.0"},
                        {"id", id},
                        {"error", json::object{{"code", code}, {"message", message}}}};
}

json::value result_reply(const json::value& id, json::value result) {
    return json::object{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json::value initialize_result(const json::object& params) {
    std::string_view version = default_protocol_version;
    if (const auto* requested = params.if_contains("protocolVersion")) {
        if (requested->is_string()) version = requested->get_string();
    }
    return json::object{{"protocolVersion", version},
                        {"capabilities", json::object{{"tools", json::object{}}}},
                        {"serverInfo", json::object{{"name", "bench-echo"}, {"version", "1.0.0"}}}};
}

json::object text_schema() {
    return json::object{{"type", "object"},
                        {"properties", json::object{{"text", json::object{{"type", "string"}}}}}};
}

json::value tools_list_result() {
    json::object echo{{"name", "echo"},
                      {"description", "Returns the text it is given"},
                      {"inputSchema", text_schema()},
                      {"annotations", json::object{{"readOnlyHint", true}}}};
    auto repeat_schema = text_schema();
    repeat_schema["properties"].as_object()["times"] =
        json::object{{"type", "integer"}, {"minimum", 0}, {"maximum", max_repeat}};
    json::object repeat{{"name", "repeat"},
                        {"description", "Returns the text repeated `times` times (a larger reply)"},
                        {"inputSchema", std::move(repeat_schema)},
                        {"annotations", json::object{{"readOnlyHint", true}}}};
    return json::object{{"tools", json::array{std::move(echo), std::move(repeat)}}};
}

// The text echoed back: the `text` argument, or all arguments serialised when there is none.
std::string echo_text(const json::object& params) {
    const auto* arguments = params.if_contains("arguments");
    if (arguments == nullptr || !arguments->is_object()) return {};
    if (const auto* text = arguments->get_object().if_contains("text"); text && text->is_string()) {
        return std::string(text->get_string());
    }
    return json::serialize(*arguments);
}

// `repeat`: the text `times` times over (0 to max_repeat, default 1).
std::string repeated_text(const json::object& params) {
    const auto text = echo_text(params);
    std::int64_t times = 1;
    if (const auto* arguments = params.if_contains("arguments");
        arguments && arguments->is_object()) {
        if (const auto* t = arguments->get_object().if_contains("times"); t && t->is_int64()) {
            times = std::clamp<std::int64_t>(t->get_int64(), 0, max_repeat);
        }
    }
    std::string out;
    out.reserve(text.size() * static_cast<std::size_t>(times));
    for (std::int64_t i = 0; i < times; ++i) out += text;
    return out;
}

json::value tools_call_reply(const json::value& id, const json::object& params) {
    const auto* name = params.if_contains("name");
    if (name == nullptr || !name->is_string()) return error_reply(id, -32602, "unknown tool");
    std::string text;
    if (name->get_string() == "echo") {
        text = echo_text(params);
    } else if (name->get_string() == "repeat") {
        text = repeated_text(params);
    } else {
        return error_reply(id, -32602, "unknown tool");
    }
    json::object text_content{{"type", "text"}, {"text", std::move(text)}};
    return result_reply(
        id, json::object{{"content", json::array{std::move(text_content)}}, {"isError", false}});
}

}  // namespace

bool is_initialize_request(const json::value& message) {
    const auto* object = message.if_object();
    if (object == nullptr || !object->contains("id")) return false;
    const auto* method = object->if_contains("method");
    return method && method->is_string() && method->get_string() == "initialize";
}

std::optional<json::value> answer_mcp_message(const json::value& message) {
    const auto* object = message.if_object();
    if (object == nullptr) return error_reply(nullptr, -32600, "not a JSON-RPC request");
    const auto* method = object->if_contains("method");
    const auto* id = object->if_contains("id");
    if (method == nullptr) return std::nullopt;  // a response to us: we never ask anything
    if (id == nullptr) return std::nullopt;      // a notification
    if (!method->is_string()) return error_reply(*id, -32600, "method must be a string");

    static const json::object no_params;
    const auto* params_value = object->if_contains("params");
    const auto& params =
        params_value && params_value->is_object() ? params_value->get_object() : no_params;
    const auto name = method->get_string();
    if (name == "tools/call") return tools_call_reply(*id, params);
    if (name == "initialize") return result_reply(*id, initialize_result(params));
    if (name == "tools/list") return result_reply(*id, tools_list_result());
    if (name == "ping") return result_reply(*id, json::object{});
    return error_reply(*id, -32601, "method not found");
}

std::optional<json::value> answer_mcp_text(std::string_view text) {
    boost::system::error_code ec;
    auto message = json::parse(text, ec);
    if (ec) return error_reply(nullptr, -32700, "parse error");
    return answer_mcp_message(message);
}

}  // namespace bench
