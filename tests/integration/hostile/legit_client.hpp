#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace mcpproxy::test {

// A well-behaved client calling a tool over and over (stateless tools/call alpha__echo, one
// request per fresh connection) on its own thread while an attack runs.
class LegitClient {
public:
    explicit LegitClient(unsigned short port);
    ~LegitClient();
    LegitClient(const LegitClient&) = delete;
    LegitClient& operator=(const LegitClient&) = delete;

    // Waits until at least n calls have completed (or the limit passes), so that a short attack
    // still has enough samples on a loaded machine.
    void wait_for_calls(std::size_t n, std::chrono::milliseconds limit);
    // Stops the loop; the figures below are final afterwards.
    void stop();
    [[nodiscard]] std::size_t attempts() const { return latencies_ms_.size() + failures_; }
    [[nodiscard]] std::size_t failures() const { return failures_; }
    [[nodiscard]] double success_rate() const;
    [[nodiscard]] double percentile_ms(double p) const;
    // "n=.. ok=..% p50=..ms p99=..ms max=..ms", for the test log and the README.
    [[nodiscard]] std::string summary() const;

private:
    void run();

    unsigned short port_;
    std::atomic<bool> stop_{false};
    std::vector<double> latencies_ms_;
    std::size_t failures_ = 0;
    std::atomic<std::size_t> completed_{0};
    std::thread thread_;
};

}  // namespace mcpproxy::test
