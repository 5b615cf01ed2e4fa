#pragma once

#include <functional>
#include <mutex>

#include "mcpproxy/sdk/tunnel_adapter.hpp"

namespace mcpproxy::tunnel_common {

// The adapter's current TunnelStatus. Thread-safe. Every change is reported to the attached
// TunnelEvents exactly once; setting the same values again reports nothing. Reports are made
// outside the lock, in the order the changes happened (a report mutex serialises them).
class StatusKeeper {
public:
    void attach(sdk::TunnelEvents* events);  // nullptr detaches (no more reports)
    [[nodiscard]] sdk::TunnelStatus get() const;

    void set_state(sdk::TunnelState state, std::string detail = {});
    void set_public_url(std::string url);
    void set_restarts(unsigned restarts);
    // Any combination of changes as one report.
    void update(const std::function<void(sdk::TunnelStatus&)>& change);

private:
    mutable std::mutex mutex_;
    std::mutex report_mutex_;
    sdk::TunnelStatus status_;
    sdk::TunnelEvents* events_ = nullptr;
};

bool operator==(const sdk::TunnelStatus& a, const sdk::TunnelStatus& b);

}  // namespace mcpproxy::tunnel_common
