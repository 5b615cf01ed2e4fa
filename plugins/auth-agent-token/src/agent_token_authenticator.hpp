#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

#include "mcpproxy/sdk/auth_bridge.hpp"
#include "token_hasher.hpp"
#include "token_view.hpp"
#include "usage_tracker.hpp"

namespace mcpproxy::agent_token {

using Clock = std::function<std::chrono::system_clock::time_point()>;

struct AuthCounters {
    std::uint64_t accepted = 0;
    std::uint64_t unknown = 0;
    std::uint64_t expired = 0;
    std::uint64_t revoked = 0;
};

// The auth bridge: finds an mcp_agt_ credential, hashes it and looks it up in the live view.
// Lock-light and allocation-light; never touches the database.
class AgentTokenAuthenticator final : public sdk::AuthBridge {
public:
    AgentTokenAuthenticator(const TokenView& view, UsageTracker& usage, Clock clock,
                            bool accept_x_api_key);

    // Until a hasher is set (the plugin's start()), every agent token is rejected as "unavailable".
    // The hasher must outlive this object.
    void set_hasher(const TokenHasher* hasher) noexcept {
        hasher_.store(hasher, std::memory_order_release);
    }

    sdk::AuthResult authenticate(const sdk::RequestView& request) override;
    [[nodiscard]] std::vector<std::string> credential_names(std::size_t limit) const override;
    [[nodiscard]] std::string setup_hint() const override {
        return "create an agent token: mcpproxy token create --name CLIENT";
    }

    [[nodiscard]] AuthCounters counters() const noexcept;

private:
    sdk::AuthResult decide(std::string_view credential);
    void note_use(const ViewEntry& entry, Seconds now);

    const TokenView& view_;
    UsageTracker& usage_;
    Clock clock_;
    bool accept_x_api_key_;
    std::atomic<const TokenHasher*> hasher_{nullptr};
    std::atomic<std::uint64_t> accepted_{0};
    std::atomic<std::uint64_t> unknown_{0};
    std::atomic<std::uint64_t> expired_{0};
    std::atomic<std::uint64_t> revoked_{0};
};

}  // namespace mcpproxy::agent_token
