#include "mcpproxy/tunnel_common/status_keeper.hpp"

namespace mcpproxy::tunnel_common {

bool operator==(const sdk::TunnelStatus& a, const sdk::TunnelStatus& b) {
    return a.state == b.state && a.public_url == b.public_url && a.detail == b.detail &&
           a.restarts == b.restarts;
}

void StatusKeeper::attach(sdk::TunnelEvents* events) {
    std::lock_guard report(report_mutex_);
    std::lock_guard lock(mutex_);
    events_ = events;
}

sdk::TunnelStatus StatusKeeper::get() const {
    std::lock_guard lock(mutex_);
    return status_;
}

void StatusKeeper::set_state(sdk::TunnelState state, std::string detail) {
    update([&](sdk::TunnelStatus& s) {
        s.state = state;
        s.detail = std::move(detail);
    });
}

void StatusKeeper::set_public_url(std::string url) {
    update([&](sdk::TunnelStatus& s) { s.public_url = std::move(url); });
}

void StatusKeeper::set_restarts(unsigned restarts) {
    update([&](sdk::TunnelStatus& s) { s.restarts = restarts; });
}

void StatusKeeper::update(const std::function<void(sdk::TunnelStatus&)>& change) {
    // Holding report_mutex_ across the report keeps reports in change order without holding
    // mutex_ (get() from inside a report must not deadlock).
    std::lock_guard report(report_mutex_);
    sdk::TunnelStatus copy;
    sdk::TunnelEvents* events = nullptr;
    {
        std::lock_guard lock(mutex_);
        sdk::TunnelStatus next = status_;
        change(next);
        if (next == status_) return;
        status_ = next;
        copy = next;
        events = events_;
    }
    if (events != nullptr) events->status_changed(copy);
}

}  // namespace mcpproxy::tunnel_common
