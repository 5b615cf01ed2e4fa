// SSE parsing of upstream replies: the bytes are fed in pieces whose sizes come from the input,
// so that line endings split across reads (\r | \n) are exercised. The parser must stay within
// its size bound and produce the same events however the stream is cut.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/protocol/sse_parser.hpp"

namespace {

using mcpproxy::protocol::SseEvent;
using mcpproxy::protocol::SseParser;

constexpr std::size_t kMaxEvent = 4096;

struct Run {
    std::vector<SseEvent> events;
    bool ok = true;
};

Run parse(std::string_view bytes, std::size_t piece) {
    Run run;
    SseParser parser([&](SseEvent&& e) { run.events.push_back(std::move(e)); }, kMaxEvent);
    for (std::size_t at = 0; at < bytes.size() && run.ok; at += piece) {
        run.ok = parser.feed(bytes.substr(at, piece));
    }
    return run;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::size_t piece = 1 + data[0] % 16;
    const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    const Run whole = parse(bytes, bytes.size() + 1);
    const Run cut = parse(bytes, piece);
    for (const auto& e : whole.events) {
        if (e.data.size() > kMaxEvent + 1) __builtin_trap();  // the bound holds
    }
    // Splitting must not change the outcome while the stream stays within bounds.
    if (whole.ok && cut.ok) {
        if (whole.events.size() != cut.events.size()) __builtin_trap();
        for (std::size_t i = 0; i < whole.events.size(); ++i) {
            if (whole.events[i].data != cut.events[i].data ||
                whole.events[i].event != cut.events[i].event ||
                whole.events[i].id != cut.events[i].id ||
                whole.events[i].retry_ms != cut.events[i].retry_ms) {
                __builtin_trap();
            }
        }
    }
    return 0;
}
