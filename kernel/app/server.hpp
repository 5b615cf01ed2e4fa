#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/logger.h>

#include "kernel/activity/activity_log.hpp"
#include "kernel/config/config.hpp"
#include "kernel/health/readiness.hpp"
#include "kernel/net/listener.hpp"
#include "kernel/mcp/origin_guard.hpp"
#include "kernel/mcp/session_store.hpp"
#include "kernel/mcp/streamable_http.hpp"
#include "kernel/plugins/plugin_registry.hpp"
#include "kernel/process/supervisor.hpp"
#include "kernel/upstream/upstream_manager.hpp"

namespace mcpproxy::app {

struct ServeOptions {
    std::string port_file;  // written once every listener is bound; empty: none
    unsigned threads = 0;   // I/O threads; 0: one per core
};

// The running proxy: I/O threads, listeners, plugins. run() blocks until SIGINT/SIGTERM, then
// shuts down gracefully (stop accepting, finish in-flight requests up to the shutdown timeout,
// stop plugins in reverse order).
class Server {
public:
    Server(config::Config config, ServeOptions options);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Loads plugins, binds listeners; throws (PluginError, runtime_error) with one clear line.
    void start();
    // Serves until a stop signal; returns the process exit code.
    int run();

private:
    void load_plugins();
    std::shared_ptr<net::RouteTable> main_routes();
    void bind_listeners();
    void shutdown();
    void start_upstreams();
    std::shared_ptr<mcp::StreamableHttpEndpoint> make_mcp_endpoint();
    void broadcast_list_changes(const std::vector<std::string>& changed);
    void forward_upstream_notification(const std::string& server, const nlohmann::json& n);
    void schedule_housekeeping();
    void open_activity_log();

    config::Config config_;
    ServeOptions options_;
    std::shared_ptr<spdlog::logger> log_;
    net::asio::io_context io_;
    std::unique_ptr<net::asio::signal_set> signals_;
    std::vector<std::thread> threads_;
    std::shared_ptr<health::Readiness> readiness_;
    std::shared_ptr<activity::ActivityLog> activity_;
    std::unique_ptr<process::Supervisor> supervisor_;
    std::unique_ptr<plugins::PluginRegistry> plugins_;
    std::shared_ptr<upstream::UpstreamManager> upstreams_;
    std::shared_ptr<mcp::SessionStore> sessions_;
    std::shared_ptr<mcp::OriginGuard> guard_;
    std::unique_ptr<net::asio::steady_timer> housekeeping_;
    std::vector<std::shared_ptr<net::Listener>> listeners_;
};

}  // namespace mcpproxy::app
