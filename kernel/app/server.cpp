#include "kernel/app/server.hpp"

#include <unistd.h>

#include <csignal>
#include <future>
#include <set>

#include "kernel/activity/sqlite_activity_store.hpp"
#include "kernel/app/plugin_services.hpp"
#include "kernel/app/port_file.hpp"
#include "kernel/log/logging.hpp"
#include "kernel/plugins/plugin_faults.hpp"
#include "kernel/protocol/jsonrpc.hpp"
#include "kernel/tunnel/tunnel_rules.hpp"
#include "kernel/upstream/plugin_credentials.hpp"
#include "kernel/upstream/transport_factory.hpp"
#include "kernel/util/atomic_file.hpp"
#include "kernel/util/exception_text.hpp"

namespace mcpproxy::app {
namespace asio = net::asio;

namespace {
unsigned io_threads(unsigned asked) {
    return asked != 0 ? asked : std::max(1U, std::thread::hardware_concurrency());
}
}  // namespace

Server::Server(config::Config config, ServeOptions options)
    : config_(std::move(config)),
      options_(std::move(options)),
      log_(log::get("kernel")),
      pool_(io_threads(options_.threads), options_.busy_poll),
      io_(pool_.main()),
      readiness_(std::make_shared<health::Readiness>()) {}

Server::~Server() {
    pool_.stop();
    pool_.join();
}

void Server::open_activity_log() {
    activity_store_ = std::make_shared<activity::SqliteActivityStore>(config_.data_dir);
    activity::ActivityLogOptions options;
    options.retention = config_.activity.retention;
    options.max_size = config_.activity.max_size;
    activity_ =
        std::make_shared<activity::ActivityLog>(activity_store_, log::get("activity"), options);
}

void Server::load_plugins() {
    supervisor_ = std::make_unique<process::Supervisor>(io_.get_executor());
    plugins::HostServices services = make_host_services(config_, tunnel_board_);
    services.processes = supervisor_.get();
    plugins_ = std::make_unique<plugins::PluginRegistry>(
        plugins::PluginLocator("", config_.plugins_dir), services);
    // A plugin failing at run time stays loaded (its other calls may still work) and is shown.
    plugins_->faults().on_failed(
        [readiness = readiness_](const std::string& plugin, const std::string& error) {
            readiness->set_degraded("plugin:" + plugin, "failed: " + error);
        });
    for (const auto& p : config_.plugins) plugins_->load(p.name, p.settings);
    plugins_->start_all();
}

std::vector<std::string> Server::tunnel_credential_names() {
    std::vector<std::string> names;
    for (const auto& b : named_bridges_for(Role::tunnel)) {
        auto more = plugins_->faults().call(
            b.name, "credential_names()", [&] { return b.bridge->credential_names(20); },
            std::vector<std::string>{});
        for (auto& n : more) names.push_back(std::move(n));
    }
    return names;
}

std::vector<std::string> Server::routed_servers() const {
    std::vector<std::string> names;
    for (const auto& s : config_.servers) {
        if (s.enabled && !s.quarantined) names.push_back(s.name);
    }
    return names;
}

void Server::check_rules() {
    tunnel::check_management_rules(config_);
    if (!config_.tunnel.enabled) return;
    const auto bridges = bridges_for(Role::tunnel);
    tunnel::check_tunnel_rules(config_, tunnel_credential_names(), !bridges.empty(),
                               tunnel::tunnel_setup_hint(bridges));
}

std::shared_ptr<upstream::PluginCredentials> Server::upstream_credentials() {
    std::vector<upstream::CredentialProvider> providers;
    for (auto& p : plugins_->plugins()) {
        if (p.failed || p.upstream_credentials == nullptr) continue;
        providers.push_back({p.info.name, p.upstream_credentials});
        log_->info("plugin {} supplies credentials for HTTP upstream servers", p.info.name);
    }
    if (providers.empty()) return nullptr;
    return std::make_shared<upstream::PluginCredentials>(
        std::move(providers), log::get("upstreams"),
        [faults = plugins_->shared_faults()](const std::string& plugin, std::string_view call,
                                             const std::exception_ptr& error) {
            faults->record(plugin, "upstream credentials " + std::string(call), error);
        });
}

void Server::start_upstreams() {
    std::vector<asio::any_io_executor> lanes;
    for (std::size_t i = 0; i < pool_.size(); ++i) lanes.emplace_back(pool_.at(i).get_executor());
    upstreams_ = std::make_shared<upstream::UpstreamManager>(
        io_, config_, upstream::transports_with(upstream_credentials(), std::move(lanes)),
        [this]() -> asio::io_context& { return pool_.next_for_upstream(); });
    sessions_ = std::make_shared<mcp::SessionStore>(10'000, std::chrono::hours(1));
    upstreams_->on_lists_changed(
        [this](const std::vector<std::string>& changed) { broadcast_list_changes(changed); });
    upstreams_->on_notification([this](const std::string& server, const nlohmann::json& n) {
        forward_upstream_notification(server, n);
    });
    readiness_->expect("upstreams", "connecting to upstream servers");
}

void Server::bind_listeners() {
    const bool tunnel_on_main = config_.tunnel.enabled && config_.tunnel.listen.empty();
    listener_specs_.push_back(
        {"main", config_.listen, tunnel_on_main ? Role::tunnel : Role::local});
    if (config_.tunnel.enabled && !tunnel_on_main) {
        listener_specs_.push_back({"tunnel", config_.tunnel.listen, Role::tunnel});
    }
    if (config_.management.enabled) {
        listener_specs_.push_back({"management", config_.management.listen, Role::management});
    }
    if (config_.tls.enabled) {
        try {
            tls_source_ =
                std::make_shared<net::TlsContextSource>(net::make_server_tls_context(config_.tls));
        } catch (const std::exception& e) {
            throw std::runtime_error(std::string(e.what()) + " (config: $.tls)");
        }
    }
    for (auto& spec : listener_specs_) {
        auto context = std::make_shared<net::ListenerContext>();
        context->name = spec.name;
        if (spec.name == "main") context->tls = tls_source_;
        context->routes = routes_for(spec);
        context->limits = config_.limits;
        context->log = log::get("http");
        auto listener = std::make_shared<net::Listener>(io_, *util::parse_host_port(spec.address),
                                                        context, &pool_);
        readiness_->expect("listener:" + spec.name);
        spec.address = listener->bind().to_string();
        listeners_.push_back(listener);
        log_->info("listening on {} (listener {}{})", spec.address, spec.name,
                   context->tls ? ", TLS" + std::string(config_.tls.client_ca.empty() ? ""
                                                        : config_.tls.require_client_cert
                                                            ? ", client certificate required"
                                                            : ", client certificate optional")
                                : std::string());
    }
    if (management_) {
        for (const auto& spec : listener_specs_) {
            management_->listeners.push_back({spec.name, spec.address,
                                              spec.role == Role::tunnel       ? "tunnel"
                                              : spec.role == Role::management ? "management"
                                                                              : "local"});
        }
    }
}

void Server::on_tunnel_status(const sdk::TunnelStatus& status, bool url_changed, bool news) {
    if (tunnel_status_file_) tunnel_status_file_->write(tunnel_board_->entries());
    if (url_changed) {
        log_->info(
            "tunnel mode: public URL is now {} (its host is trusted on the tunneled listener)",
            status.public_url);
    }
    if (status.state == sdk::TunnelState::failed || status.state == sdk::TunnelState::degraded) {
        log_->log(news ? spdlog::level::warn : spdlog::level::debug, "tunnel {}: {}",
                  tunnel::to_string(status.state), status.detail);
    }
    if (config_.tunnel.require_ready) {
        if (tunnel_board_->all_ready())
            readiness_->set_ready("tunnel");
        else
            readiness_->set_not_ready("tunnel",
                                      "tunnel " + std::string(tunnel::to_string(status.state)));
    }
}

void Server::start_tunnels() {
    std::string tunneled;
    for (const auto& spec : listener_specs_) {
        if (spec.role == Role::tunnel) tunneled = spec.address;
    }
    for (auto& p : plugins_->plugins()) {
        auto* adapter = p.tunnel_adapter;
        if (adapter == nullptr) continue;
        if (tunneled.empty()) {
            throw std::runtime_error(
                "plugin " + p.info.name +
                " is a tunnel adapter: start with --tunnel-mode (or \"tunnel\": "
                "{\"enabled\": true}) so that a tunneled listener exists");
        }
        const auto target_address = *util::parse_host_port(tunneled);
        sdk::TunnelTarget target{target_address.host, target_address.port, "http"};
        std::string provider;
        try {
            provider = adapter->provider();
            adapter->preflight();
        } catch (...) {
            throw std::runtime_error("plugin " + p.info.name + ": " +
                                     util::exception_text(std::current_exception()));
        }
        if (config_.tunnel.require_ready) readiness_->expect("tunnel", "tunnel starting");
        if (!tunnel_status_file_)
            tunnel_status_file_ = std::make_unique<TunnelStatusFile>(config_.data_dir);
        auto sink = std::make_unique<tunnel::TunnelEventsSink>(
            p.info.name, provider, *tunnel_board_,
            [guard = tunnel_guard_](const std::string& host) {
                if (guard) guard->add_trusted_host(host);
            },
            [this](const sdk::TunnelStatus& s, bool changed, bool news) {
                on_tunnel_status(s, changed, news);
            });
        try {
            adapter->start(target, *sink);
        } catch (...) {
            throw std::runtime_error("plugin " + p.info.name + ": cannot start the tunnel: " +
                                     util::exception_text(std::current_exception()));
        }
        tunnel_sinks_.push_back(std::move(sink));
        tunnel_adapters_.push_back(adapter);
    }
}

void Server::log_banner() {
    if (!config_.tunnel.enabled) return;
    std::string tunneled;
    for (const auto& spec : listener_specs_) {
        if (spec.role == Role::tunnel) tunneled = spec.address;
    }
    std::string url = config_.tunnel.public_url;
    for (const auto& e : tunnel_board_->entries()) {
        if (!e.status.public_url.empty()) url = e.status.public_url;
    }
    log_->info("{}",
               tunnel::tunnel_banner(tunneled, url, tunnel_credential_names(), routed_servers()));
}

void Server::write_port_file() {
    if (options_.port_file.empty()) return;
    std::map<std::string, std::string> ports;
    for (const auto& spec : listener_specs_) ports[spec.name] = spec.address;
    app::write_port_file(options_.port_file, ports);
}

void Server::start() {
    // Before anything else: a stop signal during start-up must take the graceful path too.
    signals_ = std::make_unique<asio::signal_set>(io_, SIGINT, SIGTERM);
    util::ensure_private_directory(config_.data_dir);
    for (const auto& w : config_.warnings) log_->warn("config: {}", w);
    open_activity_log();
    load_plugins();
    check_rules();
    start_upstreams();
    bind_listeners();
    for (auto& l : listeners_) l->start();
    pool_.start();
    for (const auto& spec : listener_specs_) readiness_->set_ready("listener:" + spec.name);
    upstreams_->start();
    // A live progress line only for a person at a terminal; logs and JSON get the summary only.
    startup_progress_ = std::make_unique<StartupProgress>(
        config_.log_format != "json" && ::isatty(STDERR_FILENO) != 0,
        StartupProgress::Clock::now());
    if (upstreams_->settled()) readiness_->set_ready("upstreams");  // none to wait for
    start_tunnels();
    log_banner();
    write_port_file();
    watch_tls_files();
    housekeeping_ = std::make_unique<asio::steady_timer>(io_);
    asio::post(io_, [this] { schedule_housekeeping(); });
    start_service_hooks();
    log_->info("mcpproxy ready: {} listener(s), {} plugin(s), {} upstream server(s) configured",
               listeners_.size(), plugins_->plugins().size(), config_.servers.size());
}

void Server::broadcast_list_changes(const std::vector<std::string>& changed) {
    for (const auto& session : sessions_->all()) {
        if (!session->has_stream()) continue;
        for (const auto& what : changed) {
            session->post(
                protocol::make_notification("notifications/" + what + "/list_changed", nullptr));
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

void Server::schedule_housekeeping() {
    housekeeping_->expires_after(std::chrono::milliseconds(100));
    housekeeping_->async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;
        if (upstreams_->settled()) readiness_->set_ready("upstreams");
        if (startup_progress_ && !startup_progress_->done()) {
            for (const auto& line : startup_progress_->update(
                     upstreams_->status(), upstreams_->settled(), StartupProgress::Clock::now()))
                log_->info("{}", line);
        }
        const auto health = activity_->health();
        if (health.ok)
            readiness_->clear_degraded("activity");
        else
            readiness_->set_degraded("activity", "activity log cannot write: " + health.last_error);
        if (++housekeeping_ticks_ % 600 == 0) sessions_->sweep();
        if (housekeeping_ticks_ % 10 == 0) report_logins_needed();
        schedule_housekeeping();
    });
}

// An upstream waiting for a person to log in (with what to run), or down and being restarted with
// back-off (e.g. a crash loop), is shown in /readyz's "degraded" list; it does not make the
// process unready (the other upstreams still serve).
void Server::report_logins_needed() {
    std::set<std::string> now;
    for (const auto& s : upstreams_->status()) {
        if (s.state == upstream::UpstreamState::login_needed) {
            readiness_->set_degraded("upstream:" + s.name, s.last_error);
        } else if (s.state == upstream::UpstreamState::failed) {
            readiness_->set_degraded("upstream:" + s.name, "failed; restarting with back-off (" +
                                                               std::to_string(s.restarts) +
                                                               " restarts): " + s.last_error);
        } else {
            continue;
        }
        now.insert(s.name);
    }
    for (const auto& name : logins_needed_) {
        if (!now.contains(name)) readiness_->clear_degraded("upstream:" + name);
    }
    logins_needed_ = std::move(now);
}

void Server::watch_tls_files() {
    if (!tls_source_) return;
    tls_reloader_ =
        std::make_shared<net::TlsReloader>(io_, config_.tls, tls_source_, log::get("tls"));
    tls_reloader_->start();
    hup_ = std::make_unique<asio::signal_set>(io_, SIGHUP);
    wait_for_sighup();
}

void Server::wait_for_sighup() {
    hup_->async_wait([this](const boost::system::error_code& ec, int) {
        if (ec) return;
        tls_reloader_->reload_now("SIGHUP");
        wait_for_sighup();
    });
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
    stop_service_hooks();
    readiness_->set_not_ready("shutdown", "stopping");
    asio::post(io_, [this] { housekeeping_->cancel(); });
    if (tls_reloader_) {
        tls_reloader_->stop();
        asio::post(io_, [this] { hup_->cancel(); });
    }
    // Ending the sessions ends their GET streams; in-flight POSTs still finish below.
    sessions_->close_all();
    for (auto& l : listeners_) {
        l->stop_accepting();
        l->context()->connections.begin_shutdown();
    }
    const auto deadline = std::chrono::steady_clock::now() + config_.shutdown_timeout;
    auto open_connections = [&] {
        std::size_t n = 0;
        for (auto& l : listeners_) n += l->context()->connections.size();
        return n;
    };
    while (open_connections() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (const auto left = open_connections(); left > 0) {
        log_->warn("shutdown timeout: closing {} connection(s) still open", left);
        for (auto& l : listeners_) l->context()->connections.close_all();
    }
    for (auto it = tunnel_adapters_.rbegin(); it != tunnel_adapters_.rend(); ++it) (*it)->stop();
    upstreams_->stop(std::chrono::seconds(5));
    plugins_->stop_all();
    activity_->stop();
    pool_.stop();
    pool_.join();
    log_->info("stopped");
}

}  // namespace mcpproxy::app
