// Which routes each listener serves: local (/mcp, /healthz, /readyz), tunneled (/mcp and
// /healthz only, authentication mandatory), management (admin API behind the admin key).
#include <algorithm>
#include <stdexcept>

#include "kernel/app/activity_sink.hpp"
#include "kernel/app/metrics_wiring.hpp"
#include "kernel/app/server.hpp"
#include "kernel/app/tunnel_origin_check.hpp"
#include "kernel/auth/auth_chain.hpp"
#include "kernel/health/health_routes.hpp"
#include "kernel/log/logging.hpp"
#include "kernel/mcp/dispatcher.hpp"
#include "kernel/mgmt/admin_key.hpp"
#include "kernel/mgmt/route_request.hpp"
#include "kernel/mgmt/ui_assets.hpp"
#include "kernel/net/responses.hpp"

namespace mcpproxy::app {

std::vector<Server::NamedBridge> Server::named_bridges_for(Role role) {
    std::vector<NamedBridge> bridges;
    const auto& allowed = config_.tunnel.auth;
    for (auto& p : plugins_->plugins()) {
        sdk::AuthBridge* bridge = p.auth_bridge;
        if (bridge == nullptr) continue;
        if (role == Role::tunnel && !allowed.empty() &&
            std::find(allowed.begin(), allowed.end(), p.info.name) == allowed.end()) {
            continue;
        }
        bridges.push_back({p.info.name, bridge});
    }
    return bridges;
}

std::vector<sdk::AuthBridge*> Server::bridges_for(Role role) {
    std::vector<sdk::AuthBridge*> bridges;
    for (const auto& b : named_bridges_for(role)) bridges.push_back(b.bridge);
    return bridges;
}

std::shared_ptr<mcp::StreamableHttpEndpoint> Server::make_mcp_endpoint(
    const ListenerSpec& spec, std::shared_ptr<mcp::OriginGuard> guard) {
    std::vector<sdk::AuthBridge*> bridges;
    std::vector<std::string> bridge_names;
    for (auto& b : named_bridges_for(spec.role)) {
        bridges.push_back(b.bridge);
        bridge_names.push_back(std::move(b.name));
    }
    const auto address = *util::parse_host_port(spec.address);
    // Anonymous callers only where nobody else can reach: a loopback, non-tunneled listener
    // with no auth bridge. Everywhere else: deny by default.
    const bool anonymous =
        spec.role == Role::local && bridges.empty() && util::is_loopback_host(address.host);
    if (bridges.empty() && !anonymous) {
        log_->warn("listener {} ({}) has no auth bridge: every /mcp request will be refused",
                   spec.name, spec.address);
    }
    auto chain =
        std::make_shared<auth::AuthChain>(std::move(bridges), anonymous, std::move(bridge_names));
    auto dispatcher = std::make_shared<mcp::Dispatcher>(upstreams_, config_);
    mcp::FrontEndOptions options;
    options.answer_timeout = config_.call_tool_timeout;
    const auto& rl = config_.rate_limits;
    options.identity_limits = std::make_shared<policy::RateLimiter>(
        policy::LimitSettings{rl.requests_per_second, rl.burst, rl.max_concurrent});
    if (rl.auth_failures_per_minute > 0) {
        const auto burst = static_cast<std::uint32_t>(std::max(1.0, rl.auth_failures_per_minute));
        options.auth_failures = std::make_shared<policy::RateLimiter>(
            policy::LimitSettings{rl.auth_failures_per_minute / 60.0, burst, 0});
    }
    if (spec.role == Role::tunnel) {
        options.client_addresses =
            std::make_shared<tunnel::ClientAddressResolver>(config_.tunnel.trusted_proxies);
    }
    if (!record_sink_)
        record_sink_ = fan_out(make_activity_sink(activity_), make_metrics_sink(metrics_));
    return std::make_shared<mcp::StreamableHttpEndpoint>(dispatcher, sessions_, std::move(guard),
                                                         chain, options, record_sink_);
}

void Server::add_well_known_routes(net::RouteTable& routes, Role role) {
    const auto tunnel_bridges = bridges_for(Role::tunnel);
    for (auto& p : plugins_->plugins()) {
        // The tunneled listener carries only the well-known paths of auth bridges active there.
        auto* bridge = p.auth_bridge;
        if (role == Role::tunnel &&
            (bridge == nullptr || std::find(tunnel_bridges.begin(), tunnel_bridges.end(), bridge) ==
                                      tunnel_bridges.end())) {
            continue;
        }
        for (const auto& route : p.host->routes()) {
            if (route.surface != sdk::RouteSurface::well_known) continue;
            const std::string path = "/.well-known/" + route.prefix;
            auto handler = route.handler;
            auto serve = [handler](net::HttpExchange& ex) -> net::Awaitable<void> {
                const mgmt::ExchangeRouteRequest req(ex);
                sdk::RouteResponse out = handler(req);  // guarded by the PluginHost
                auto res = net::text_response(static_cast<net::http::status>(out.status),
                                              ex.request(), std::move(out.body), out.content_type);
                for (const auto& [k, v] : out.headers) res.set(k, v);
                co_await ex.respond(std::move(res));
            };
            routes.add(path, serve);
            routes.add_prefix(path + "/", serve);
        }
    }
}

std::shared_ptr<mgmt::ManagementContext> Server::management_context() {
    auto c = std::make_shared<mgmt::ManagementContext>();
    c->admin_key = mgmt::load_or_create_admin_key(config_.data_dir, config_.api_key);
    c->version = MCPPROXY_VERSION;
    c->started = started_;
    c->readiness = readiness_;
    c->upstreams = upstreams_;
    c->activity = activity_store_;
    c->tunnels = tunnel_board_;
    c->sessions = sessions_;
    c->plugins = plugins_.get();
    for (auto& p : plugins_->plugins()) {
        for (const auto& route : p.host->routes()) {
            if (route.surface == sdk::RouteSurface::management) c->plugin_routes.push_back(route);
        }
    }
    return c;
}

std::shared_ptr<net::RouteTable> Server::routes_for(const ListenerSpec& spec) {
    auto routes = std::make_shared<net::RouteTable>();
    const auto address = *util::parse_host_port(spec.address);
    switch (spec.role) {
        case Role::local: {
            auto guard = std::make_shared<mcp::OriginGuard>(address, config_.trusted_hosts,
                                                            config_.allowed_origins);
            routes->add("/healthz", health::healthz_handler(readiness_));
            routes->add("/readyz", health::readyz_handler(readiness_));
            routes->add("/mcp", make_mcp_endpoint(spec, guard)->handler());
            add_well_known_routes(*routes, spec.role);
            break;
        }
        case Role::tunnel: {
            // Exactly /mcp and /healthz (plus well-known paths an auth bridge registered).
            tunnel_guard_ = std::make_shared<mcp::OriginGuard>(address, config_.trusted_hosts,
                                                               config_.allowed_origins);
            if (!config_.tunnel.public_url.empty()) {
                tunnel_guard_->add_trusted_host(tunnel::host_of_url(config_.tunnel.public_url));
            }
            routes->add("/healthz", health::bare_healthz_handler(readiness_));
            std::vector<NamedAdapter> adapters;
            for (auto& p : plugins_->plugins()) {
                if (p.tunnel_adapter != nullptr)
                    adapters.push_back({p.info.name, p.tunnel_adapter});
            }
            routes->add("/mcp",
                        require_tunnel_origin(make_mcp_endpoint(spec, tunnel_guard_)->handler(),
                                              std::move(adapters), plugins_->shared_faults()));
            add_well_known_routes(*routes, spec.role);
            break;
        }
        case Role::management: {
            routes->add("/healthz", health::healthz_handler(readiness_));
            routes->add("/readyz", health::readyz_handler(readiness_));
            management_ = management_context();
            routes->add_prefix("/api/v1/", mgmt::management_api_handler(management_));
            routes->add("/ui", mgmt::ui_redirect_handler());
            routes->add_prefix("/ui/", mgmt::ui_handler());
            routes->add("/metrics", metrics_handler(metrics_, management_->admin_key,
                                                    [this] { return scrape_gauges(); }));
            break;
        }
    }
    return routes;
}

}  // namespace mcpproxy::app

namespace mcpproxy::app {

// Gauges read at scrape time from the components that own the numbers.
std::string Server::scrape_gauges() const {
    using metrics::escape_label;
    std::string out;
    out += "# TYPE mcpproxy_sessions gauge\nmcpproxy_sessions " +
           std::to_string(sessions_->size()) + "\n";
    out += "# TYPE mcpproxy_upstream_up gauge\n";
    std::string restarts = "# TYPE mcpproxy_upstream_restarts_total counter\n";
    for (const auto& s : upstreams_->status()) {
        const auto label = "{server=\"" + escape_label(s.name) + "\"}";
        out += "mcpproxy_upstream_up" + label + " " +
               (s.state == upstream::UpstreamState::ready ? "1" : "0") + "\n";
        restarts +=
            "mcpproxy_upstream_restarts_total" + label + " " + std::to_string(s.restarts) + "\n";
    }
    out += restarts;
    out += "# TYPE mcpproxy_tunnel_up gauge\n";
    std::string tunnel_restarts = "# TYPE mcpproxy_tunnel_restarts_total counter\n";
    for (const auto& t : tunnel_board_->entries()) {
        const auto label = "{provider=\"" + escape_label(t.provider) + "\"}";
        out += "mcpproxy_tunnel_up" + label + " " +
               (t.status.state == sdk::TunnelState::ready ? "1" : "0") + "\n";
        tunnel_restarts += "mcpproxy_tunnel_restarts_total" + label + " " +
                           std::to_string(t.status.restarts) + "\n";
    }
    out += tunnel_restarts;
    const auto activity = activity_->health();
    out +=
        "# TYPE mcpproxy_activity_records_written_total "
        "counter\nmcpproxy_activity_records_written_total " +
        std::to_string(activity.written) + "\n";
    out +=
        "# TYPE mcpproxy_activity_records_dropped_total "
        "counter\nmcpproxy_activity_records_dropped_total " +
        std::to_string(activity.dropped) + "\n";
    out += "# TYPE mcpproxy_ready gauge\nmcpproxy_ready " +
           std::string(readiness_->ready() ? "1" : "0") + "\n";
    return out;
}

}  // namespace mcpproxy::app
