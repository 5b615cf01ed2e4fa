#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kernel/upstream/http/http_url.hpp"

namespace mcpproxy::upstream::http {

// Per-request header values that change during a session.
struct SessionHeaders {
    std::string_view session_id;        // Mcp-Session-Id, empty before the server gave one
    std::string_view protocol_version;  // MCP-Protocol-Version, empty before initialized()
    std::string_view last_event_id;     // Last-Event-ID when resuming a stream
    std::string_view credentials;       // rendered "Name: value\r\n" lines from a plugin
};

// Writes HTTP/1.1 request heads as plain text. The part that never changes for one upstream
// (request target, Host, configured headers) is checked and rendered once, so a request costs
// one string append instead of a header map.
class RequestHeadBuilder {
public:
    // Throws std::invalid_argument naming the offending header (never its value) when a
    // configured header is malformed or is one the transport must own (Host, Accept, ...).
    RequestHeadBuilder(const UpstreamUrl& url, const std::map<std::string, std::string>& headers);

    [[nodiscard]] std::string post(std::size_t content_length, const SessionHeaders& session) const;
    [[nodiscard]] std::string get_event_stream(const SessionHeaders& session) const;
    [[nodiscard]] std::string delete_session(const SessionHeaders& session) const;
    // Whether the configuration sets this header (case-insensitive).
    [[nodiscard]] bool configures(std::string_view name) const;
    // Renders headers a credentials plugin gave as header lines: those the transport owns or the
    // configuration sets already are left out (the configured value wins).
    [[nodiscard]] std::string render_extra(
        const std::vector<std::pair<std::string, std::string>>& headers) const;

private:
    [[nodiscard]] std::string start(std::string_view method, const SessionHeaders& session) const;

    std::string target_;
    std::string fixed_;                    // "Host: ...\r\n" + configured headers + User-Agent
    std::vector<std::string> configured_;  // lower-case names of the configured headers
};

// Whether text may be sent as a header value we got from the server (visible ASCII only).
bool is_visible_ascii(std::string_view text);

}  // namespace mcpproxy::upstream::http
