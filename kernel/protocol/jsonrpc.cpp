#include "kernel/protocol/jsonrpc.hpp"

namespace mcpproxy::protocol {
namespace {

bool valid_id(const Json& id) {
    return id.is_string() || id.is_number_integer() || id.is_number_unsigned();
}

struct TooDeep {};

}  // namespace

MessageKind classify(const Json& message) {
    if (!message.is_object()) return MessageKind::invalid;
    const auto version = message.find("jsonrpc");
    if (version == message.end() || *version != "2.0") return MessageKind::invalid;
    const auto method = message.find("method");
    const auto id = message.find("id");
    if (method != message.end()) {
        if (!method->is_string()) return MessageKind::invalid;
        const auto params = message.find("params");
        if (params != message.end() && !params->is_object() && !params->is_array()) {
            return MessageKind::invalid;
        }
        if (id == message.end()) return MessageKind::notification;
        return valid_id(*id) ? MessageKind::request : MessageKind::invalid;
    }
    if (id == message.end()) return MessageKind::invalid;
    if (message.contains("result")) return MessageKind::response;
    if (message.contains("error") && message["error"].is_object())
        return MessageKind::error_response;
    return MessageKind::invalid;
}

Json make_result(const Json& id, Json result) {
    return Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

Json make_error(const Json& id, int code, std::string_view message, const Json& data) {
    Json error{{"code", code}, {"message", message}};
    if (!data.is_null()) error["data"] = data;
    return Json{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(error)}};
}

Json make_request(const Json& id, std::string_view method, Json params) {
    Json r{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
    if (!params.is_null()) r["params"] = std::move(params);
    return r;
}

Json make_notification(std::string_view method, Json params) {
    Json n{{"jsonrpc", "2.0"}, {"method", method}};
    if (!params.is_null()) n["params"] = std::move(params);
    return n;
}

std::optional<Json> parse_json(std::string_view text, ParseFailure& failure,
                               std::size_t max_depth) {
    try {
        Json::parser_callback_t guard = [max_depth](int depth, Json::parse_event_t, Json&) {
            if (static_cast<std::size_t>(depth) > max_depth) throw TooDeep{};
            return true;
        };
        return Json::parse(text, guard);
    } catch (const TooDeep&) {
        failure.reason = "nesting deeper than " + std::to_string(max_depth) + " levels";
    } catch (const Json::parse_error&) {
        failure.reason = "malformed JSON";
    } catch (const Json::exception&) {
        // e.g. out_of_range 406 for a number beyond double ("1e400"): hostile input, not a bug
        failure.reason = "malformed JSON (number out of range)";
    }
    return std::nullopt;
}

std::string method_of(const Json& message) {
    const auto it = message.find("method");
    return it != message.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

}  // namespace mcpproxy::protocol
