#include "kernel/app/server.hpp"

#include <csignal>
#include <future>

#include "kernel/activity/sqlite_activity_store.hpp"
#include "kernel/app/activity_sink.hpp"
#include "kernel/app/port_file.hpp"
#include "kernel/auth/auth_chain.hpp"
#include "kernel/mcp/dispatcher.hpp"
#include "kernel/upstream/transport_factory.hpp"
#include "kernel/health/health_routes.hpp"
#include "kernel/log/logging.hpp"
#include "kernel/protocol/jsonrpc.hpp"
#include "kernel/util/atomic_file.hpp"

namespace mcpproxy::app {
namespace asio = net::asio;

Server::Server(config::Config config, ServeOptions options)
    : config_(std::move(config)),
      options_(std::move(options)),
      log_(log::get("kernel")),
      readiness_(std::make_shared<health::Readiness>()) {}

Server::~Server() {
    if (!io_.stopped()) io_.stop();
    for (auto& t : threads_) {
        if (t.joinable()) t.join();
    }
}

void Server::load_plugins() {
    supervisor_ = std::make_unique<process::Supervisor>(io_.get_executor());
    plugins::HostServices services;
    services.data_dir = config_.data_dir;
    services.processes = supervisor_.get();
    plugins_ = std::make_unique<plugins::PluginRegistry>(
        plugins::PluginLocator("", config_.plugins_dir), services);
    for (const auto& p : config_.plugins) {
        readiness_->expect("plugin:" + p.name);
        plugins_->load(p.name, p.settings);
    }
}

std::shared_ptr<mcp::StreamableHttpEndpoint> Server::make_mcp_endpoint() {
    std::vector<sdk::AuthBridge*> bridges;
    for (auto& p : plugins_->plugins()) {
        if (auto* bridge = p.instance->auth_bridge()) bridges.push_back(bridge);
    }
    const auto address = *util::parse_host_port(config_.listen);
    // Anonymous callers only where nobody else can reach: a loopback listener with no auth bridge.
    const bool anonymous = bridges.empty() && util::is_loopback_host(address.host);
    if (bridges.empty() && !anonymous) {
        log_->warn("listener {} is not loopback and no auth bridge is loaded: every /mcp request "
                   "will be refused (load auth-agent-token)", config_.listen);
    }
    auto chain = std::make_shared<auth::AuthChain>(std::move(bridges), anonymous);
    guard_ = std::make_shared<mcp::OriginGuard>(address, config_.trusted_hosts,
                                                config_.allowed_origins);
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
    return std::make_shared<mcp::StreamableHttpEndpoint>(dispatcher, sessions_, guard_, chain,
                                                         options, make_activity_sink(activity_));
}

void Server::open_activity_log() {
    auto store = std::make_shared<activity::SqliteActivityStore>(config_.data_dir);
    activity_ = std::make_shared<activity::ActivityLog>(store, log::get("activity"),
                                                        activity::ActivityLogOptions{});
}

std::shared_ptr<net::RouteTable> Server::main_routes() {
    auto routes = std::make_shared<net::RouteTable>();
    routes->add("/healthz", health::healthz_handler(readiness_));
    routes->add("/readyz", health::readyz_handler(readiness_));
    routes->add("/mcp", make_mcp_endpoint()->handler());
    return routes;
}

void Server::broadcast_list_changes(const std::vector<std::string>& changed) {
    for (const auto& session : sessions_->all()) {
        if (!session->has_stream()) continue;
        for (const auto& what : changed) {
            session->post(protocol::make_notification("notifications/" + what + "/list_changed",
                                                      nullptr));
        }
    }
}

void Server::forward_upstream_notification(const std::string& server, const nlohmann::json& n) {
    if (n.value("method", std::string()) != "notifications/resources/updated") {
        log_->debug("upstream {} sent {}", server, n.value("method", std::string()));
        return;
    }
    const auto uri = n.value("params", nlohmann::json::object()).value("uri", std::string());
    for (const auto& session : sessions_->all()) {
        if (session->subscribed(uri)) session->post(n);
    }
}

void Server::start_upstreams() {
    upstreams_ = std::make_shared<upstream::UpstreamManager>(io_, config_, upstream::make_transport);
    sessions_ = std::make_shared<mcp::SessionStore>(10'000, std::chrono::hours(1));
    upstreams_->on_lists_changed(
        [this](const std::vector<std::string>& changed) { broadcast_list_changes(changed); });
    upstreams_->on_notification([this](const std::string& server, const nlohmann::json& n) {
        forward_upstream_notification(server, n);
    });
    readiness_->expect("upstreams", "connecting to upstream servers");
}

void Server::schedule_housekeeping() {
    housekeeping_->expires_after(std::chrono::milliseconds(100));
    housekeeping_->async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;
        if (upstreams_->settled()) readiness_->set_ready("upstreams");
        const auto activity_health = activity_->health();
        if (activity_health.ok) readiness_->clear_degraded("activity");
        else readiness_->set_degraded("activity", "activity log cannot write: " + activity_health.last_error);
        static int ticks = 0;
        if (++ticks % 600 == 0) sessions_->sweep();
        schedule_housekeeping();
    });
}

void Server::bind_listeners() {
    auto context = std::make_shared<net::ListenerContext>();
    context->name = "main";
    context->routes = main_routes();
    context->limits = config_.limits;
    context->log = log::get("http");
    const auto address = util::parse_host_port(config_.listen);
    auto listener = std::make_shared<net::Listener>(io_, *address, context);
    readiness_->expect("listener:main");
    const auto bound = listener->bind();
    listeners_.push_back(listener);
    log_->info("listening on {} (listener main)", bound.to_string());
}

void Server::start() {
    // Before anything else: a stop signal during start-up must take the graceful path too.
    signals_ = std::make_unique<asio::signal_set>(io_, SIGINT, SIGTERM);
    util::ensure_private_directory(config_.data_dir);
    for (const auto& w : config_.warnings) log_->warn("config: {}", w);
    open_activity_log();
    load_plugins();
    start_upstreams();
    bind_listeners();
    const unsigned n = options_.threads != 0 ? options_.threads
                                             : std::max(1U, std::thread::hardware_concurrency());
    for (auto& l : listeners_) l->start();
    for (unsigned i = 0; i < n; ++i) threads_.emplace_back([this] { io_.run(); });
    for (auto& l : listeners_) readiness_->set_ready("listener:" + l->context()->name);
    plugins_->start_all();
    for (const auto& p : plugins_->plugins()) readiness_->set_ready("plugin:" + p.info.name);
    upstreams_->start();
    housekeeping_ = std::make_unique<asio::steady_timer>(io_);
    schedule_housekeeping();
    if (!options_.port_file.empty()) {
        std::map<std::string, std::string> ports;
        for (const auto& l : listeners_) ports[l->context()->name] = l->bound_address().to_string();
        write_port_file(options_.port_file, ports);
    }
    log_->info("mcpproxy ready: {} listener(s), {} plugin(s), {} upstream server(s) configured",
               listeners_.size(), plugins_->plugins().size(), config_.servers.size());
}

int Server::run() {
    std::promise<int> stopped;
    signals_->async_wait([&](const boost::system::error_code& ec, int signal) {
        if (!ec) stopped.set_value(signal);
    });
    const int signal = stopped.get_future().get();
    log_->info("received {}, shutting down", signal == SIGINT ? "SIGINT" : "SIGTERM");
    shutdown();
    return 0;
}

void Server::shutdown() {
    for (const auto& p : plugins_->plugins()) readiness_->set_not_ready("plugin:" + p.info.name, "stopping");
    asio::post(io_, [this] { housekeeping_->cancel(); });
    // Ending the sessions ends their GET streams; in-flight POSTs still finish below.
    sessions_->close_all();
    for (auto& l : listeners_) {
        l->stop_accepting();
        l->context()->connections.begin_shutdown();
    }
    const auto deadline = std::chrono::steady_clock::now() + config_.shutdown_timeout;
    auto busy = [&] {
        std::size_t n = 0;
        for (auto& l : listeners_) n += l->context()->connections.size();
        return n;
    };
    while (busy() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (const auto left = busy(); left > 0) {
        log_->warn("shutdown timeout: closing {} connection(s) still open", left);
        for (auto& l : listeners_) l->context()->connections.close_all();
    }
    upstreams_->stop(std::chrono::seconds(5));
    plugins_->stop_all();
    activity_->stop();
    io_.stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
    log_->info("stopped");
}

}  // namespace mcpproxy::app
