#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "kernel/activity/activity_log.hpp"
#include "kernel/activity/activity_store.hpp"
#include "kernel/app/config_reload.hpp"
#include "kernel/app/startup_progress.hpp"
#include "kernel/app/systemd_notify.hpp"
#include "kernel/app/tunnel_status_file.hpp"
#include "kernel/config/config.hpp"
#include "kernel/health/readiness.hpp"
#include "kernel/mcp/origin_guard.hpp"
#include "kernel/mcp/session_store.hpp"
#include "kernel/mcp/streamable_http.hpp"
#include "kernel/metrics/metrics_registry.hpp"
#include "kernel/mgmt/management_api.hpp"
#include "kernel/net/io_pool.hpp"
#include "kernel/net/listener.hpp"
#include "kernel/net/tls_reloader.hpp"
#include "kernel/plugins/plugin_registry.hpp"
#include "kernel/process/supervisor.hpp"
#include "kernel/tunnel/tunnel_board.hpp"
#include "kernel/tunnel/tunnel_events.hpp"
#include "kernel/upstream/plugin_credentials.hpp"
#include "kernel/upstream/upstream_manager.hpp"

namespace mcpproxy::app {

// Measured on 2 cores (docs/dev/performance.md, session 6): p50 at one session 105 -> 81 µs;
// longer windows gained nothing there and took CPU from busy neighbours at 8-32 sessions.
inline constexpr std::chrono::microseconds kDefaultBusyPoll{50};

struct ServeOptions {
    std::string port_file;  // written once every listener is bound; empty: none
    unsigned threads = 0;   // I/O threads; 0: one per core
    // How long an idle I/O thread polls before it sleeps (net::run_polling); zero: not at all.
    std::chrono::microseconds busy_poll{kDefaultBusyPoll};
    // Builds the config again for a reload (SIGHUP): the file plus the command line's overrides.
    std::function<config::Config()> reload_config;
};

// The running proxy: I/O threads, listeners (local, tunneled, management), plugins, upstreams.
// run() blocks until SIGINT/SIGTERM, then shuts down gracefully (stop accepting, finish
// in-flight requests up to the shutdown timeout, stop tunnels and plugins in reverse order).
class Server {
public:
    Server(config::Config config, ServeOptions options);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Loads and starts plugins, checks the tunnel-mode rules, binds listeners; throws with one
    // clear line (nothing stays bound when it throws).
    void start();
    // Serves until a stop signal; returns the process exit code.
    int run();

private:
    enum class Role { local, tunnel, management };
    struct ListenerSpec {
        std::string name;
        std::string address;
        Role role;
    };

    // Start-up steps, in order.
    void open_activity_log();
    void load_plugins();
    void check_rules();
    void start_upstreams();
    // The credential providers of the loaded plugins (null when no plugin has one).
    std::shared_ptr<upstream::PluginCredentials> upstream_credentials();
    void report_logins_needed();
    void bind_listeners();
    void start_tunnels();
    void write_port_file();
    void log_banner();
    // systemd readiness/stopping notifications and the SIGHUP config reload (server_service.cpp).
    void start_service_hooks();
    void stop_service_hooks();

    // Route tables for each listener role (server_routes.cpp).
    std::shared_ptr<net::RouteTable> routes_for(const ListenerSpec& spec);
    std::shared_ptr<mcp::StreamableHttpEndpoint> make_mcp_endpoint(
        const ListenerSpec& spec, std::shared_ptr<mcp::OriginGuard> guard);
    struct NamedBridge {
        std::string name;  // the plugin's
        sdk::AuthBridge* bridge = nullptr;
    };
    // The auth bridges a listener of this role accepts, in plugin order.
    std::vector<NamedBridge> named_bridges_for(Role role);
    std::vector<sdk::AuthBridge*> bridges_for(Role role);
    void add_well_known_routes(net::RouteTable& routes, Role role);
    std::shared_ptr<mgmt::ManagementContext> management_context();

    void broadcast_list_changes(const std::vector<std::string>& changed);
    void forward_upstream_notification(const std::string& server, const nlohmann::json& n);
    void on_tunnel_status(const sdk::TunnelStatus& status, bool url_changed, bool news);
    void schedule_housekeeping();
    void watch_tls_files();  // hot reload on change and on SIGHUP
    void wait_for_sighup();
    void shutdown();
    [[nodiscard]] std::vector<std::string> tunnel_credential_names();
    [[nodiscard]] std::vector<std::string> routed_servers() const;
    [[nodiscard]] std::string scrape_gauges() const;

    config::Config config_;
    ServeOptions options_;
    std::shared_ptr<spdlog::logger> log_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    net::IoPool pool_;           // one io_context per I/O thread
    net::asio::io_context& io_;  // pool_.main(): signals, timers, reloads, plugins
    std::unique_ptr<net::asio::signal_set> signals_;
    std::shared_ptr<health::Readiness> readiness_;
    std::shared_ptr<activity::ActivityStore> activity_store_;
    std::shared_ptr<activity::ActivityLog> activity_;
    std::unique_ptr<process::Supervisor> supervisor_;
    std::unique_ptr<plugins::PluginRegistry> plugins_;
    std::shared_ptr<upstream::UpstreamManager> upstreams_;
    std::unique_ptr<StartupProgress> startup_progress_;  // used by the housekeeping timer only
    std::shared_ptr<mcp::SessionStore> sessions_;
    std::shared_ptr<tunnel::TunnelBoard> tunnel_board_ = std::make_shared<tunnel::TunnelBoard>();
    std::shared_ptr<mcp::OriginGuard> tunnel_guard_;
    std::vector<std::unique_ptr<tunnel::TunnelEventsSink>> tunnel_sinks_;
    std::vector<sdk::TunnelAdapter*> tunnel_adapters_;
    std::unique_ptr<TunnelStatusFile> tunnel_status_file_;
    std::unique_ptr<net::asio::steady_timer> housekeeping_;
    unsigned housekeeping_ticks_ = 0;      // touched only by the housekeeping timer's handler
    std::set<std::string> logins_needed_;  // likewise: upstreams shown as degraded in /readyz
    std::unique_ptr<SystemdNotifier> notifier_;
    std::unique_ptr<ConfigReloader> reloader_;
    std::vector<ListenerSpec> listener_specs_;
    std::shared_ptr<mgmt::ManagementContext> management_;
    std::shared_ptr<metrics::Registry> metrics_ = std::make_shared<metrics::Registry>();
    mcp::RecordSink record_sink_;
    std::vector<std::shared_ptr<net::Listener>> listeners_;
    std::shared_ptr<net::TlsContextSource> tls_source_;  // the main listener's, when TLS is on
    std::shared_ptr<net::TlsReloader> tls_reloader_;
    std::unique_ptr<net::asio::signal_set> hup_;
};

}  // namespace mcpproxy::app
