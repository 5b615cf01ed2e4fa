#pragma once

#include <memory>

#include "kernel/config/config.hpp"
#include "kernel/plugins/plugin_host.hpp"
#include "kernel/tunnel/tunnel_board.hpp"

namespace mcpproxy::app {

// The services plugins get from this process: the data dir, the configured upstream servers and,
// when serving, the tunnels' public URLs (board may be null outside `serve`).
plugins::HostServices make_host_services(const config::Config& config,
                                         std::shared_ptr<const tunnel::TunnelBoard> board);

}  // namespace mcpproxy::app
