#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "mcpproxy/sdk/http_client.hpp"
#include "mcpproxy/sdk/logger.hpp"
#include "upstream/token_snapshot.hpp"
#include "upstream/token_store.hpp"

namespace mcpproxy::oauth {

struct RefreshPolicy {
    double at_fraction = 0.75;  // refresh when this much of a token's lifetime has passed
    std::chrono::seconds first_backoff{1};
    std::chrono::seconds max_backoff{300};
    std::chrono::milliseconds poll_interval{250};  // how often the store is checked for changes
};

// Keeps the snapshot in step with the store (PRAGMA data_version polling, so an `auth login` in
// another process is seen within poll_interval) and refreshes tokens on its own thread: at
// at_fraction of their lifetime or when asked (a 401), with exponential back-off on failure. A
// refresh token rejected with invalid_grant marks the server login-needed in the store: logged
// once, never retried until the next login.
class TokenRefresher {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;
    TokenRefresher(TokenStore& store, TokenSnapshot& snapshot, sdk::HttpClient& http,
                   sdk::Logger& logger, Clock now, RefreshPolicy policy = {});
    ~TokenRefresher();
    TokenRefresher(const TokenRefresher&) = delete;
    TokenRefresher& operator=(const TokenRefresher&) = delete;

    void start();  // loads the store into the snapshot, then starts the thread
    void stop() noexcept;

    // Asks for a refresh of server's token soon (never blocks; back-off still applies).
    void request_refresh(const std::string& server);

    // One pass of the thread's loop: reload on change, refresh what is due. Public for tests.
    void run_once();
    // When the next attempt for server may happen (Unix seconds; 0: no back-off).
    [[nodiscard]] std::int64_t backoff_until(const std::string& server) const;

private:
    struct Backoff {
        std::int64_t next_attempt = 0;
        std::int64_t delay = 0;
    };
    // Reloads the snapshot; logs the servers whose token another process (`auth login`) wrote.
    void reload(bool announce);
    void refresh(const TokenRecord& record, std::int64_t now);
    void failed(const std::string& server, const std::string& problem, std::int64_t now);
    [[nodiscard]] std::int64_t now_seconds() const;
    void run();

    TokenStore& store_;
    TokenSnapshot& snapshot_;
    sdk::HttpClient& http_;
    sdk::Logger& logger_;
    Clock now_;
    RefreshPolicy policy_;
    std::int64_t data_version_ = -1;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::set<std::string> requested_;
    std::map<std::string, Backoff> backoff_;
    bool stopping_ = false;
    std::thread thread_;
};

// When a token obtained at obtained_at and expiring at expires_at is due for refresh (0: never,
// because its lifetime is unknown).
[[nodiscard]] std::int64_t refresh_due_at(std::int64_t obtained_at, std::int64_t expires_at,
                                          double fraction);

}  // namespace mcpproxy::oauth
