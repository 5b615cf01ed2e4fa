#include "kernel/tunnel/tunnel_board.hpp"

namespace mcpproxy::tunnel {

std::string_view to_string(sdk::TunnelState state) {
    switch (state) {
        case sdk::TunnelState::stopped:
            return "stopped";
        case sdk::TunnelState::starting:
            return "starting";
        case sdk::TunnelState::ready:
            return "ready";
        case sdk::TunnelState::degraded:
            return "degraded";
        case sdk::TunnelState::failed:
            return "failed";
    }
    return "unknown";
}

void TunnelBoard::update(const std::string& plugin, const std::string& provider,
                         const sdk::TunnelStatus& status) {
    std::lock_guard lock(mutex_);
    for (auto& e : entries_) {
        if (e.plugin == plugin) {
            e.provider = provider;
            e.status = status;
            return;
        }
    }
    entries_.push_back({plugin, provider, status});
}

std::vector<TunnelEntry> TunnelBoard::entries() const {
    std::lock_guard lock(mutex_);
    return entries_;
}

bool TunnelBoard::all_ready() const {
    std::lock_guard lock(mutex_);
    for (const auto& e : entries_) {
        if (e.status.state != sdk::TunnelState::ready) return false;
    }
    return true;
}

}  // namespace mcpproxy::tunnel
