#include "tests/integration/hostile/legit_client.hpp"

#include <algorithm>
#include <cstdio>

#include "tests/integration/mcp/mcp_http.hpp"

namespace mcpproxy::test {

LegitClient::LegitClient(unsigned short port) : port_(port), thread_([this] { run(); }) {}

LegitClient::~LegitClient() {
    stop();
}

void LegitClient::wait_for_calls(std::size_t n, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (completed_.load() < n && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void LegitClient::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

void LegitClient::run() {
    int id = 0;
    while (!stop_) {
        const Json call = request_message(
            ++id, "tools/call", {{"name", "alpha__echo"}, {"arguments", {{"text", "hi"}}}});
        const auto start = std::chrono::steady_clock::now();
        bool ok = false;
        try {
            const auto reply = mcp_post(port_, call.dump(),
                                        {{"MCP-Protocol-Version", kStatelessVersion},
                                         {"Mcp-Method", "tools/call"},
                                         {"Mcp-Name", "alpha__echo"}},
                                        std::chrono::seconds(5));
            ok = reply.status == 200 && reply.last().contains("result");
        } catch (const std::exception&) {
            ok = false;
        }
        const std::chrono::duration<double, std::milli> took =
            std::chrono::steady_clock::now() - start;
        if (ok) {
            latencies_ms_.push_back(took.count());
        } else {
            ++failures_;
        }
        ++completed_;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

double LegitClient::success_rate() const {
    const auto n = attempts();
    return n == 0 ? 0.0 : static_cast<double>(latencies_ms_.size()) / static_cast<double>(n);
}

double LegitClient::percentile_ms(double p) const {
    if (latencies_ms_.empty()) return 0.0;
    auto sorted = latencies_ms_;
    std::sort(sorted.begin(), sorted.end());
    const auto at = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1));
    return sorted[at];
}

std::string LegitClient::summary() const {
    char text[160];
    std::snprintf(text, sizeof text, "n=%zu ok=%.1f%% p50=%.1fms p99=%.1fms max=%.1fms", attempts(),
                  100.0 * success_rate(), percentile_ms(50), percentile_ms(99), percentile_ms(100));
    return text;
}

}  // namespace mcpproxy::test
