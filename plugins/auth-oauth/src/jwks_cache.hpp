#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "jwk_set.hpp"
#include "mcpproxy/sdk/http_client.hpp"
#include "mcpproxy/sdk/logger.hpp"

namespace mcpproxy::oauth {

// The issuer's signing keys, fetched on a thread of its own (an auth call never waits for the
// network): at start, every refresh interval, and soon after a token names a kid it does not
// know, but never more often than the minimum refetch interval. A failed fetch keeps the keys
// it has and is retried with back-off.
class JwksCache {
public:
    struct Settings {
        std::string issuer;
        std::string jwks_uri;  // empty: discovered from the issuer's metadata first
        std::chrono::milliseconds refresh_interval{std::chrono::minutes(15)};
        std::chrono::milliseconds min_refetch_interval{std::chrono::seconds(30)};
    };

    JwksCache(Settings settings, sdk::HttpClient& http, sdk::Logger& log);
    ~JwksCache();
    JwksCache(const JwksCache&) = delete;
    JwksCache& operator=(const JwksCache&) = delete;

    void start();
    void stop() noexcept;

    [[nodiscard]] std::shared_ptr<const JwkSet> keys() const;
    // A token named a kid that is not in keys(): fetch again soon (rate-bounded).
    void request_refetch();
    [[nodiscard]] std::string describe() const;  // for health output; no secrets in a JWKS anyway

private:
    void run();
    bool fetch_once();
    std::string discover_jwks_uri();

    Settings settings_;
    sdk::HttpClient& http_;
    sdk::Logger& log_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::shared_ptr<const JwkSet> keys_ = std::make_shared<JwkSet>();
    std::string jwks_uri_;
    bool refetch_wanted_ = false;
    bool stopping_ = false;
    std::string last_error_;
    std::thread thread_;
};

}  // namespace mcpproxy::oauth
