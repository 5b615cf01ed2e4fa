#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "mcpproxy/sdk/tunnel_adapter.hpp"

namespace mcpproxy::tunnel {

struct TunnelEntry {
    std::string plugin;
    std::string provider;
    sdk::TunnelStatus status;
};

std::string_view to_string(sdk::TunnelState state);

// The latest status each tunnel adapter reported; read by /readyz, the management API, the
// banner and `mcpproxy tunnel status`. Thread-safe.
class TunnelBoard {
public:
    void update(const std::string& plugin, const std::string& provider,
                const sdk::TunnelStatus& status);
    [[nodiscard]] std::vector<TunnelEntry> entries() const;
    [[nodiscard]] bool all_ready() const;  // true when there are no adapters

private:
    mutable std::mutex mutex_;
    std::vector<TunnelEntry> entries_;
};

}  // namespace mcpproxy::tunnel
