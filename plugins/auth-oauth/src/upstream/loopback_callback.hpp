#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace mcpproxy::oauth {

// The redirect target of a login: a one-shot HTTP listener on 127.0.0.1:port that waits for the
// browser's GET /callback?code=...&state=... (RFC 8252 §7.3). Other paths get 404; a callback
// whose state differs from the expected one gets 400 and the wait goes on.
class LoopbackCallback {
public:
    // Binds now (throws OAuthFlowError naming the port when it is taken).
    explicit LoopbackCallback(unsigned short port);
    ~LoopbackCallback();
    LoopbackCallback(const LoopbackCallback&) = delete;
    LoopbackCallback& operator=(const LoopbackCallback&) = delete;

    // The callback's query parameters, or nullopt when nothing valid came within timeout.
    [[nodiscard]] std::optional<std::map<std::string, std::string>> wait(
        std::chrono::milliseconds timeout, const std::string& expected_state);

private:
    int fd_ = -1;
};

}  // namespace mcpproxy::oauth
