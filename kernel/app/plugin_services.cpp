#include "kernel/app/plugin_services.hpp"

#include <utility>
#include <vector>

namespace mcpproxy::app {

namespace {

std::vector<sdk::UpstreamServerInfo> describe_servers(const config::Config& config) {
    std::vector<sdk::UpstreamServerInfo> servers;
    for (const auto& s : config.servers) {
        const bool http = s.transport == config::UpstreamTransport::http;
        servers.push_back({s.name, http ? s.url : std::string{}, s.enabled && !s.quarantined});
    }
    return servers;
}

}  // namespace

plugins::HostServices make_host_services(const config::Config& config,
                                         std::shared_ptr<const tunnel::TunnelBoard> board) {
    plugins::HostServices services;
    services.data_dir = config.data_dir;
    auto servers =
        std::make_shared<const std::vector<sdk::UpstreamServerInfo>>(describe_servers(config));
    services.upstream_servers = [servers] { return *servers; };
    if (board) {
        services.public_urls = [board] {
            std::vector<std::string> urls;
            for (const auto& e : board->entries()) {
                if (e.status.state == sdk::TunnelState::ready && !e.status.public_url.empty()) {
                    urls.push_back(e.status.public_url);
                }
            }
            return urls;
        };
    }
    return services;
}

}  // namespace mcpproxy::app
