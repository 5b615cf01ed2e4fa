#pragma once

#include <chrono>
#include <optional>

#include "tests/integration/mcp/event_stream.hpp"
#include "tests/integration/mcp/mcp_http.hpp"

namespace mcpproxy::test {

// A call of the upstream's slow tool (direct mode, server alpha) read as it streams: its first
// progress event proves that the upstream process is working on it.
class SlowCall {
public:
    using Clock = std::chrono::steady_clock;

    SlowCall(const McpSession& session, int request_id, int ms)
        : id_(request_id),
          stream_(session.port(), "POST", headers(session),
                  request_message(
                      request_id, "tools/call",
                      {{"name", "alpha__slow"},
                       {"arguments", {{"ms", ms}}},
                       {"_meta", {{"progressToken", "slow-" + std::to_string(request_id)}}}})
                      .dump()) {}

    bool wait_in_flight() {
        return stream_.read_until("notifications/progress", std::chrono::seconds(5));
    }
    // Waits up to limit for the final message (the event carrying the request's id); returns
    // how long that took.
    std::optional<Clock::duration> wait_final(
        std::chrono::milliseconds limit = std::chrono::seconds(5)) {
        const auto from = Clock::now();
        if (!stream_.read_until("\"id\":" + std::to_string(id_), limit)) return std::nullopt;
        return Clock::now() - from;
    }
    // Waits up to limit for the end of the response stream (the last, empty chunk).
    bool wait_closed(std::chrono::milliseconds limit = std::chrono::seconds(5)) {
        return stream_.read_until("\r\n0\r\n\r\n", limit);
    }
    // Whether a response for the request (its id) arrived.
    [[nodiscard]] bool answered() const {
        return stream_.received().find("\"id\":" + std::to_string(id_)) != std::string::npos;
    }
    // The final message, parsed from the last SSE event received.
    [[nodiscard]] Json final_message() const {
        const auto& text = stream_.received();
        const auto at = text.rfind("data: ");
        if (at == std::string::npos) return {};
        const auto eol = text.find('\n', at);
        return Json::parse(text.substr(at + 6, eol - at - 6), nullptr, false);
    }
    [[nodiscard]] const std::string& received() const { return stream_.received(); }

private:
    static Headers headers(const McpSession& session) {
        auto h = session.headers();
        h["Content-Type"] = "application/json";
        h["Accept"] = "application/json, text/event-stream";
        return h;
    }
    int id_;
    EventStream stream_;
};

}  // namespace mcpproxy::test
