#include "kernel/upstream/transport_factory.hpp"

#include "kernel/upstream/stdio_transport.hpp"
#ifdef MCPPROXY_HAVE_HTTP_UPSTREAM
#include "kernel/upstream/http/http_transport.hpp"
#endif

namespace mcpproxy::upstream {

std::shared_ptr<Transport> make_transport(boost::asio::any_io_executor executor,
                                          const config::UpstreamConfig& config,
                                          std::shared_ptr<spdlog::logger> log,
                                          std::shared_ptr<CredentialSource> credentials,
                                          std::vector<boost::asio::any_io_executor> lanes) {
    if (config.transport == config::UpstreamTransport::stdio) {
        return std::make_shared<StdioTransport>(std::move(executor), config, std::move(log));
    }
#ifdef MCPPROXY_HAVE_HTTP_UPSTREAM
    return std::make_shared<HttpTransport>(std::move(executor), config, std::move(log),
                                           std::move(credentials), std::move(lanes));
#else
    (void)credentials;
    (void)lanes;
    throw std::runtime_error("Streamable HTTP upstreams are not available in this build");
#endif
}

TransportFactory transports_with(std::shared_ptr<CredentialSource> credentials,
                                 std::vector<boost::asio::any_io_executor> lanes) {
    return [credentials = std::move(credentials), lanes = std::move(lanes)](
               boost::asio::any_io_executor executor, const config::UpstreamConfig& config,
               std::shared_ptr<spdlog::logger> log) {
        return make_transport(std::move(executor), config, std::move(log), credentials, lanes);
    };
}

}  // namespace mcpproxy::upstream
