#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/proxy_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace mcpproxy::test {

struct McpProxyOptions {
    std::string routing_mode = "retrieve_tools";
    // One test-stdio-upstream process per name; each answers whoami with its name.
    std::vector<std::string> upstreams{"alpha"};
    // Extra top-level config members, as JSON text without the braces (e.g. "\"top_k\": 5").
    std::string extra_config{};
};

// The real mcpproxy binary fronting instances of the test stdio upstream, on 127.0.0.1:0.
// The constructor waits until /readyz says every upstream has been connected.
class McpProxy {
public:
    explicit McpProxy(McpProxyOptions options = {});

    [[nodiscard]] bool started() const { return proxy_ && proxy_->started(); }
    [[nodiscard]] unsigned short port() const { return proxy_->port(); }
    [[nodiscard]] ProxyProcess& process() { return *proxy_; }
    [[nodiscard]] std::string log() const { return proxy_ ? proxy_->log() : std::string(); }
    // True when /readyz answered 200 within the start-up limit.
    [[nodiscard]] bool ready() const { return ready_; }
    // The pids of the proxy's upstream processes whose command line names server.
    [[nodiscard]] std::vector<pid_t> upstream_pids(const std::string& server) const;

private:
    TempDir dir_;
    std::unique_ptr<ProxyProcess> proxy_;
    bool ready_ = false;
};

// The path of the test-stdio-upstream fixture binary.
std::string stdio_upstream_binary();

// Polls until pred() holds or the limit passes; returns the last pred() value.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit,
                std::chrono::milliseconds step = std::chrono::milliseconds(50)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        if (pred()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(step);
    }
}

}  // namespace mcpproxy::test
