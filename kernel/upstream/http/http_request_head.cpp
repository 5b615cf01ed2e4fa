#include "kernel/upstream/http/http_request_head.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

namespace mcpproxy::upstream::http {
namespace {

// Headers whose value the transport decides; a configured one would contradict it.
constexpr std::array<std::string_view, 15> kOwnedHeaders{
    "host",   "content-length", "transfer-encoding",    "connection",    "content-type",
    "accept", "mcp-session-id", "mcp-protocol-version", "last-event-id", "upgrade",
    "te",     "trailer",        "keep-alive",           "expect",        "proxy-connection"};

bool is_token_char(char c) {
    if (std::isalnum(static_cast<unsigned char>(c))) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

void check_header(const std::string& name, const std::string& value) {
    if (name.empty() || !std::all_of(name.begin(), name.end(), is_token_char)) {
        throw std::invalid_argument("header name \"" + name + "\" is not a valid HTTP token");
    }
    const std::string lowered = lower(name);
    if (std::find(kOwnedHeaders.begin(), kOwnedHeaders.end(), lowered) != kOwnedHeaders.end()) {
        throw std::invalid_argument("header \"" + name +
                                    "\" is set by the transport and cannot be configured");
    }
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
        throw std::invalid_argument("the value of header \"" + name +
                                    "\" contains a line break or NUL");
    }
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
    out.append(name);
    out.append(": ");
    out.append(value);
    out.append("\r\n");
}

}  // namespace

bool is_visible_ascii(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
}

RequestHeadBuilder::RequestHeadBuilder(const UpstreamUrl& url,
                                       const std::map<std::string, std::string>& headers)
    : target_(url.target) {
    append_header(fixed_, "Host", url.host_header);
    bool has_user_agent = false;
    for (const auto& [name, value] : headers) {
        check_header(name, value);
        if (lower(name) == "user-agent") has_user_agent = true;
        configured_.push_back(lower(name));
        append_header(fixed_, name, value);
    }
    if (!has_user_agent) append_header(fixed_, "User-Agent", "mcpproxy");
}

std::string RequestHeadBuilder::start(std::string_view method,
                                      const SessionHeaders& session) const {
    std::string head;
    head.reserve(fixed_.size() + target_.size() + 256);
    head.append(method);
    head.push_back(' ');
    head.append(target_);
    head.append(" HTTP/1.1\r\n");
    head.append(fixed_);
    if (!session.session_id.empty()) append_header(head, "Mcp-Session-Id", session.session_id);
    if (!session.protocol_version.empty()) {
        append_header(head, "MCP-Protocol-Version", session.protocol_version);
    }
    if (!session.last_event_id.empty()) append_header(head, "Last-Event-ID", session.last_event_id);
    head.append(session.credentials);
    return head;
}

bool RequestHeadBuilder::configures(std::string_view name) const {
    return std::find(configured_.begin(), configured_.end(), lower(name)) != configured_.end();
}

std::string RequestHeadBuilder::render_extra(
    const std::vector<std::pair<std::string, std::string>>& headers) const {
    std::string out;
    for (const auto& [name, value] : headers) {
        const std::string lowered = lower(name);
        if (std::find(kOwnedHeaders.begin(), kOwnedHeaders.end(), lowered) != kOwnedHeaders.end() ||
            lowered == "user-agent" || configures(lowered)) {
            continue;
        }
        append_header(out, name, value);
    }
    return out;
}

std::string RequestHeadBuilder::post(std::size_t content_length,
                                     const SessionHeaders& session) const {
    std::string head = start("POST", session);
    head.append(
        "Content-Type: application/json\r\n"
        "Accept: application/json, text/event-stream\r\n"
        "Content-Length: ");
    head.append(std::to_string(content_length));
    head.append("\r\n\r\n");
    return head;
}

std::string RequestHeadBuilder::get_event_stream(const SessionHeaders& session) const {
    std::string head = start("GET", session);
    head.append("Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n");
    return head;
}

std::string RequestHeadBuilder::delete_session(const SessionHeaders& session) const {
    std::string head = start("DELETE", session);
    head.append("Content-Length: 0\r\n\r\n");
    return head;
}

}  // namespace mcpproxy::upstream::http
