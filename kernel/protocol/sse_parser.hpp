#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace mcpproxy::protocol {

struct SseEvent {
    std::string event;  // "message" when the stream gave no event name
    std::string data;   // data lines joined with '\n'
    std::string id;
    std::optional<unsigned> retry_ms;
};

// Incremental parser for text/event-stream (WHATWG HTML §9.2): feed bytes as they arrive, get
// whole events. Lines may end in \n, \r\n or \r; comments (":") are ignored. Bounded: an event
// larger than max_event_bytes is reported through an error instead of growing memory.
class SseParser {
public:
    using EventHandler = std::function<void(SseEvent&&)>;
    explicit SseParser(EventHandler on_event, std::size_t max_event_bytes = std::size_t{16} << 20);

    // Returns false once the stream has exceeded the size bound (then it stays failed).
    bool feed(std::string_view bytes);
    [[nodiscard]] const std::string& last_event_id() const { return last_id_; }
    [[nodiscard]] bool failed() const { return failed_; }

private:
    void line(std::string_view line);
    void dispatch();

    EventHandler on_event_;
    std::size_t max_event_bytes_;
    std::string pending_line_;
    bool last_was_cr_ = false;
    SseEvent current_;
    bool has_data_ = false;
    std::string last_id_;
    bool failed_ = false;
};

}  // namespace mcpproxy::protocol
