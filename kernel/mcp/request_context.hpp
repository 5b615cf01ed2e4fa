#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "kernel/mcp/session.hpp"
#include "kernel/upstream/call_context.hpp"
#include "mcpproxy/sdk/identity.hpp"

namespace mcpproxy::mcp {

// What one client request carries through dispatch, and what dispatch reports back for the
// activity log and the HTTP status.
struct RequestContext {
    std::shared_ptr<Session> session;  // null for the stateless revision
    // Shared with the dispatch coroutine rather than copied for it (it may outlive the exchange).
    std::shared_ptr<const sdk::Identity> identity;
    std::shared_ptr<upstream::CallObserver> observer;
    std::shared_ptr<upstream::CancelHandle> cancel;

    // Filled in by dispatch.
    std::string server;
    std::string tool;
    bool denied = false;
    std::string deny_reason;
    int http_status = 200;

    // The caller; an identity with no servers when none was set.
    [[nodiscard]] const sdk::Identity& caller() const {
        static const sdk::Identity nobody;
        return identity ? *identity : nobody;
    }
};

}  // namespace mcpproxy::mcp
