#pragma once

#include <spdlog/logger.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "mcpproxy/sdk/auth_bridge.hpp"

namespace mcpproxy::auth {

struct AuthDecision {
    // unauthenticated: 401; forbidden: a valid credential that grants nothing here, 403.
    enum class Outcome { authenticated, unauthenticated, forbidden };
    Outcome outcome = Outcome::unauthenticated;
    sdk::Identity identity;
    std::string reason;     // for logs and the activity log only, never for the client
    std::string challenge;  // WWW-Authenticate value for a 401 (or a 403 when a bridge gave one)
};

// The auth bridges of one listener, asked in order. The first bridge that claims the request
// decides; when none does, the request is anonymous — allowed only where the listener permits
// anonymous callers (a loopback listener with no bridge configured). A bridge that throws counts
// as a rejection, so a broken plugin never opens the door; that is logged once with the plugin's
// name (names[i] belongs to bridges[i]; missing names read "auth bridge <i>"), and again only
// after the bridge has answered normally in between.
class AuthChain {
public:
    AuthChain(std::vector<sdk::AuthBridge*> bridges, bool allow_anonymous,
              std::vector<std::string> names = {});

    [[nodiscard]] AuthDecision authenticate(const sdk::RequestView& request) const;
    [[nodiscard]] bool empty() const { return bridges_.empty(); }

private:
    sdk::AuthResult ask(std::size_t index, const sdk::RequestView& request) const;
    // The bridge's WWW-Authenticate challenge; empty when it has none or throws (logged once).
    std::string challenge_of(std::size_t index, const sdk::RequestView& request) const;

    std::vector<sdk::AuthBridge*> bridges_;
    std::vector<std::string> names_;
    // One flag per bridge: it threw last time (so the next throw is not logged again).
    std::unique_ptr<std::atomic<bool>[]> failing_;
    // One flag per bridge: its challenge() threw and that was logged.
    std::unique_ptr<std::atomic<bool>[]> challenge_failed_;
    bool allow_anonymous_;
    std::shared_ptr<spdlog::logger> log_;
};

}  // namespace mcpproxy::auth
