#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "mcpproxy/sdk/host.hpp"
#include "mcpproxy/sdk/tunnel_adapter.hpp"
#include "mcpproxy/tunnel_common/poll_loop.hpp"
#include "mcpproxy/tunnel_common/status_keeper.hpp"

namespace mcpproxy::tunnel_cloudflared {

struct DaemonOptions {
    std::string binary = "cloudflared";
    bool quick = true;
    std::string
        origin_url;     // --url: where cloudflared forwards (named: optional, else ingress rules)
    std::string token;  // named: passed as TUNNEL_TOKEN in the environment only
    std::string public_hostname;  // named: reported as https://<hostname>
    std::uint16_t metrics_port = 0;
    std::chrono::milliseconds poll_interval{1000};
    // A run not ready by then is reported failed, saying why (still polled: it may come up).
    std::chrono::milliseconds ready_timeout{60'000};
    std::chrono::milliseconds stop_grace{5000};  // SIGTERM, then SIGKILL after this long
};

// The command line and environment of one cloudflared run. The token never appears in argv.
struct DaemonCommand {
    std::vector<std::string> argv;
    std::map<std::string, std::string> env;
};
DaemonCommand build_command(const DaemonOptions& options);

// "http://HOST:PORT" for the tunneled listener (wildcard addresses become loopback).
std::string origin_url_of(const sdk::TunnelTarget& target);

// Runs cloudflared under the host's supervisor and keeps the StatusKeeper current: the public URL
// from GET /quicktunnel (or the banner line on stderr), readiness from GET /ready, the last error
// line, restarts; a run that is not ready within ready_timeout (a hung daemon, one whose metrics
// API answers garbage) is reported failed with the reason. After a restart the URL is discovered
// and reported again. Used by the
// tunnel-cloudflared and tunnel-anthropic adapters.
class CloudflaredDaemon {
public:
    CloudflaredDaemon(sdk::Host& host, DaemonOptions options, tunnel_common::StatusKeeper& status);
    ~CloudflaredDaemon();
    CloudflaredDaemon(const CloudflaredDaemon&) = delete;
    CloudflaredDaemon& operator=(const CloudflaredDaemon&) = delete;

    void start();          // throws when cloudflared cannot be started
    void stop() noexcept;  // TERM, then KILL after the grace; waits
    [[nodiscard]] int pid() const;

    struct Shared;  // state the supervisor's callbacks and the poll thread share

private:
    void poll();

    sdk::Host& host_;
    DaemonOptions options_;
    tunnel_common::StatusKeeper& status_;
    std::shared_ptr<Shared> shared_;
    std::unique_ptr<sdk::SupervisedProcess> process_;
    bool gave_up_ = false;  // poll thread only
    tunnel_common::PollLoop poll_;
};

}  // namespace mcpproxy::tunnel_cloudflared
