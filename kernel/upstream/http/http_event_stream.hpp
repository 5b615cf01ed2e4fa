#pragma once

#include <spdlog/logger.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "kernel/protocol/sse_parser.hpp"
#include "kernel/upstream/transport.hpp"

namespace mcpproxy::upstream::http {

// The largest single message (JSON body or SSE event) accepted from an upstream.
inline constexpr std::size_t kMaxMessageBytes = std::size_t{32} << 20;

using MessageSink = std::function<void(IncomingMessage)>;

// What one response stream has told us so far: where to resume it and whether the response to
// the request that opened it has arrived.
struct StreamState {
    std::optional<Json> request_id;  // set for the stream of one of our requests
    bool got_response = false;
    std::string last_event_id;
    std::optional<std::chrono::milliseconds> retry;
    std::size_t delivered = 0;  // messages handed to the sink
};

// Delivers the JSON-RPC message(s) in text (one object, or an array of them) to sink, tagged
// with state.request_id. Returns false (and logs why, without the text) when it is not JSON.
bool deliver_json_text(std::string_view text, StreamState& state, const MessageSink& sink,
                       spdlog::logger& log);

// Feeds a text/event-stream body as it arrives and delivers each data event's message at once.
class EventStreamDecoder {
public:
    EventStreamDecoder(StreamState& state, const MessageSink& sink, spdlog::logger& log);
    EventStreamDecoder(const EventStreamDecoder&) = delete;
    EventStreamDecoder& operator=(const EventStreamDecoder&) = delete;

    // Returns false once an event exceeded kMaxMessageBytes (the stream is then unusable).
    bool feed(std::string_view bytes);

private:
    void on_event(protocol::SseEvent&& event);

    StreamState& state_;
    const MessageSink& sink_;
    spdlog::logger& log_;
    protocol::SseParser parser_;
};

}  // namespace mcpproxy::upstream::http
