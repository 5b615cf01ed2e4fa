#pragma once

#include "kernel/upstream/upstream_manager.hpp"

namespace mcpproxy::upstream {

// Makes the transport a server's config asks for: stdio for "command", Streamable HTTP for "url".
std::shared_ptr<Transport> make_transport(boost::asio::any_io_executor executor,
                                          const config::UpstreamConfig& config,
                                          std::shared_ptr<spdlog::logger> log);

}  // namespace mcpproxy::upstream
