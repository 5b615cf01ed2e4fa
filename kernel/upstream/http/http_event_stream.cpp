#include "kernel/upstream/http/http_event_stream.hpp"

#include "kernel/protocol/jsonrpc.hpp"

namespace mcpproxy::upstream::http {
namespace {

void deliver_one(Json message, StreamState& state, const MessageSink& sink) {
    if (state.request_id && !state.got_response) {
        const auto kind = protocol::classify(message);
        if ((kind == protocol::MessageKind::response ||
             kind == protocol::MessageKind::error_response) &&
            message["id"] == *state.request_id) {
            state.got_response = true;
        }
    }
    ++state.delivered;
    sink(IncomingMessage{std::move(message), state.request_id});
}

}  // namespace

bool deliver_json_text(std::string_view text, StreamState& state, const MessageSink& sink,
                       spdlog::logger& log) {
    protocol::ParseFailure failure;
    auto parsed = protocol::parse_json(text, failure);
    if (!parsed) {
        log.warn("ignored a message from the upstream that is not JSON ({})", failure.reason);
        return false;
    }
    if (parsed->is_array()) {
        for (auto& element : *parsed) deliver_one(std::move(element), state, sink);
    } else {
        deliver_one(std::move(*parsed), state, sink);
    }
    return true;
}

EventStreamDecoder::EventStreamDecoder(StreamState& state, const MessageSink& sink,
                                       spdlog::logger& log)
    : state_(state),
      sink_(sink),
      log_(log),
      parser_([this](protocol::SseEvent&& event) { on_event(std::move(event)); },
              kMaxMessageBytes) {}

bool EventStreamDecoder::feed(std::string_view bytes) {
    const bool ok = parser_.feed(bytes);
    // An event carrying only an id (a "priming" event) is not dispatched but still counts.
    if (!parser_.last_event_id().empty()) state_.last_event_id = parser_.last_event_id();
    return ok;
}

void EventStreamDecoder::on_event(protocol::SseEvent&& event) {
    if (event.retry_ms) state_.retry = std::chrono::milliseconds(*event.retry_ms);
    if (!event.id.empty()) state_.last_event_id = event.id;
    if (event.data.empty()) return;  // priming or retry-only event
    if (event.event != "message") {
        log_.debug("ignored an SSE event of type {}", event.event.substr(0, 64));
        return;
    }
    deliver_json_text(event.data, state_, sink_, log_);
}

}  // namespace mcpproxy::upstream::http
