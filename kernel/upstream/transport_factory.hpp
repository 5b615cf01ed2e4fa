#pragma once

#include <vector>

#include "kernel/upstream/credential_source.hpp"
#include "kernel/upstream/upstream_manager.hpp"

namespace mcpproxy::upstream {

// Makes the transport a server's config asks for: stdio for "command", Streamable HTTP for "url".
// HTTP transports ask `credentials` (may be null) for headers and about 401s, and keep
// connections per lane (executors of io_contexts run by one thread each; see HttpTransport).
std::shared_ptr<Transport> make_transport(boost::asio::any_io_executor executor,
                                          const config::UpstreamConfig& config,
                                          std::shared_ptr<spdlog::logger> log,
                                          std::shared_ptr<CredentialSource> credentials = nullptr,
                                          std::vector<boost::asio::any_io_executor> lanes = {});

// A factory for the upstream manager whose HTTP transports ask `credentials` and use `lanes`.
TransportFactory transports_with(std::shared_ptr<CredentialSource> credentials,
                                 std::vector<boost::asio::any_io_executor> lanes = {});

}  // namespace mcpproxy::upstream
