#include "mcp_reply.hpp"

#include <boost/json.hpp>
#include <cctype>

namespace bench {
namespace json = boost::json;

namespace {

bool starts_with_ci(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
    }
    return true;
}

std::optional<json::object> response_with_id(json::value&& message, std::int64_t id) {
    auto* object = message.if_object();
    if (object == nullptr || object->contains("method")) return std::nullopt;
    const auto* message_id = object->if_contains("id");
    if (message_id == nullptr) return std::nullopt;
    const auto* number = message_id->if_int64();
    if (number != nullptr && *number == id) return std::move(*object);
    // Some servers echo ids back as strings; accept those too.
    if (message_id->is_string() && message_id->get_string() == std::to_string(id)) {
        return std::move(*object);
    }
    return std::nullopt;
}

std::string one_line(std::string text, std::size_t limit = 200) {
    for (auto& c : text) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    if (text.size() > limit) text = text.substr(0, limit) + "...";
    return text;
}

}  // namespace

std::vector<std::string> sse_event_data(std::string_view body) {
    std::vector<std::string> events;
    std::string data;
    bool has_data = false;
    auto dispatch = [&] {
        if (has_data) events.push_back(std::move(data));
        data.clear();
        has_data = false;
    };
    while (!body.empty()) {
        const auto end = body.find_first_of("\r\n");
        const auto line = body.substr(0, end);
        if (end == std::string_view::npos) {
            body = {};
        } else {
            const bool crlf = body[end] == '\r' && end + 1 < body.size() && body[end + 1] == '\n';
            body.remove_prefix(end + (crlf ? 2 : 1));
        }
        if (line.empty()) {
            dispatch();
            continue;
        }
        if (line.substr(0, 5) != "data:") continue;  // event:, id:, retry:, comments
        auto value = line.substr(5);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        if (has_data) data.push_back('\n');
        data.append(value);
        has_data = true;
    }
    dispatch();
    return events;
}

std::optional<json::object> find_response(std::string_view content_type, std::string_view body,
                                          std::int64_t id) {
    boost::system::error_code ec;
    if (starts_with_ci(content_type, "text/event-stream")) {
        for (const auto& data : sse_event_data(body)) {
            auto message = json::parse(data, ec);
            if (ec) continue;
            if (auto response = response_with_id(std::move(message), id)) return response;
        }
        return std::nullopt;
    }
    auto message = json::parse(body, ec);
    if (ec) return std::nullopt;
    return response_with_id(std::move(message), id);
}

std::string reply_problem(const json::object& response) {
    if (const auto* error = response.if_contains("error")) {
        return "JSON-RPC error " + one_line(json::serialize(*error));
    }
    const auto* result = response.if_contains("result");
    if (result == nullptr || !result->is_object()) return "response without a result";
    return {};
}

std::string tool_call_problem(const json::object& response) {
    if (auto problem = reply_problem(response); !problem.empty()) return problem;
    const auto& object = response.at("result").get_object();
    const auto* is_error = object.if_contains("isError");
    if (is_error != nullptr && is_error->is_bool() && is_error->get_bool()) {
        const auto* content = object.if_contains("content");
        return "tool error " +
               one_line(content ? json::serialize(*content) : std::string("(no content)"));
    }
    return {};
}

}  // namespace bench
