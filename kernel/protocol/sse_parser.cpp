#include "kernel/protocol/sse_parser.hpp"

#include <charconv>

namespace mcpproxy::protocol {

SseParser::SseParser(EventHandler on_event, std::size_t max_event_bytes)
    : on_event_(std::move(on_event)), max_event_bytes_(max_event_bytes) {}

bool SseParser::feed(std::string_view bytes) {
    if (failed_) return false;
    for (const char c : bytes) {
        if (c == '\n' && last_was_cr_) {  // the \n of a \r\n pair
            last_was_cr_ = false;
            continue;
        }
        last_was_cr_ = c == '\r';
        if (c == '\n' || c == '\r') {
            line(pending_line_);
            pending_line_.clear();
            continue;
        }
        pending_line_.push_back(c);
        if (pending_line_.size() + current_.data.size() > max_event_bytes_) {
            failed_ = true;
            return false;
        }
    }
    return true;
}

void SseParser::line(std::string_view l) {
    if (l.empty()) {
        dispatch();
        return;
    }
    if (l.front() == ':') return;
    const auto colon = l.find(':');
    std::string_view field = l.substr(0, colon);
    std::string_view value =
        colon == std::string_view::npos ? std::string_view{} : l.substr(colon + 1);
    if (value.starts_with(' ')) value.remove_prefix(1);
    if (field == "data") {
        if (has_data_) current_.data.push_back('\n');
        current_.data.append(value);
        has_data_ = true;
    } else if (field == "event") {
        current_.event = std::string(value);
    } else if (field == "id") {
        if (value.find('\0') == std::string_view::npos) {
            current_.id = std::string(value);
            last_id_ = current_.id;
        }
    } else if (field == "retry") {
        unsigned ms = 0;
        const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
        if (ec == std::errc{} && ptr == value.data() + value.size()) current_.retry_ms = ms;
    }
}

void SseParser::dispatch() {
    if (!has_data_) {
        // An event with no data is not dispatched, but a retry value still counts.
        if (current_.retry_ms) {
            SseEvent only_retry;
            only_retry.retry_ms = current_.retry_ms;
            only_retry.id = last_id_;
            current_ = SseEvent{};
            on_event_(std::move(only_retry));
        }
        current_ = SseEvent{};
        return;
    }
    if (current_.event.empty()) current_.event = "message";
    if (current_.id.empty()) current_.id = last_id_;
    SseEvent done = std::move(current_);
    current_ = SseEvent{};
    has_data_ = false;
    on_event_(std::move(done));
}

}  // namespace mcpproxy::protocol
