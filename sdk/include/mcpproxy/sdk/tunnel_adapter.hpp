#pragma once

#include <cstdint>
#include <string>

#include "mcpproxy/sdk/request_view.hpp"
#include "mcpproxy/sdk/visibility.hpp"

namespace mcpproxy::sdk {

enum class TunnelState { stopped, starting, ready, degraded, failed };

struct TunnelTarget {
    std::string host;  // the tunneled listener's bound address
    std::uint16_t port = 0;
    std::string scheme = "http";
};

// The daemon an adapter drives, as `mcpproxy doctor` shows it.
struct DaemonInfo {
    std::string path;     // the binary found ("/usr/bin/cloudflared"); empty when not told
    std::string version;  // as its CLI reports it ("2024.11.1"); empty when not told
};

struct TunnelStatus {
    TunnelState state = TunnelState::stopped;
    std::string public_url;  // empty until known
    std::string detail;      // a plain-words explanation for degraded/failed
    unsigned restarts = 0;
};

// The adapter reports changes here; the host updates trusted hosts, readiness and the banner.
class MCPPROXY_SDK_VISIBLE TunnelEvents {
public:
    virtual ~TunnelEvents() = default;
    virtual void status_changed(const TunnelStatus& status) = 0;
};

class MCPPROXY_SDK_VISIBLE TunnelAdapter {
public:
    virtual ~TunnelAdapter() = default;
    [[nodiscard]] virtual std::string provider() const = 0;
    // Checks binaries, versions and credentials; throws std::runtime_error saying what to fix.
    virtual void preflight() = 0;
    // Where the daemon's binary is and which version it reports, for `mcpproxy doctor`; may run
    // the binary. Throws std::runtime_error saying what to install when it is missing.
    [[nodiscard]] virtual DaemonInfo daemon() { return {}; }
    virtual void start(const TunnelTarget& target, TunnelEvents& events) = 0;
    virtual void stop() noexcept = 0;
    [[nodiscard]] virtual TunnelStatus status() const = 0;
    // Whether a request really came through this tunnel (e.g. an edge-signed header). Default: yes.
    virtual bool verify_request(const RequestView& /*request*/) { return true; }
};

}  // namespace mcpproxy::sdk
