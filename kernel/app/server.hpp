#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/logger.h>

#include "kernel/config/config.hpp"
#include "kernel/health/readiness.hpp"
#include "kernel/net/listener.hpp"
#include "kernel/plugins/plugin_registry.hpp"

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

    config::Config config_;
    ServeOptions options_;
    std::shared_ptr<spdlog::logger> log_;
    net::asio::io_context io_;
    std::unique_ptr<net::asio::signal_set> signals_;
    std::vector<std::thread> threads_;
    std::shared_ptr<health::Readiness> readiness_;
    std::unique_ptr<plugins::PluginRegistry> plugins_;
    std::vector<std::shared_ptr<net::Listener>> listeners_;
};

}  // namespace mcpproxy::app
