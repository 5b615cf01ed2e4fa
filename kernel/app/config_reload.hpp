#pragma once

#include <spdlog/logger.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kernel/config/config.hpp"
#include "kernel/upstream/upstream_manager.hpp"

namespace mcpproxy::app {

// What a reload changes on the running proxy, worked out from the applied and the new config.
struct ReloadPlan {
    bool log_changed = false;       // log_level or log_format
    bool activity_changed = false;  // the activity log's retention or max_size
    std::vector<config::UpstreamConfig> added;
    std::vector<std::string> removed;
    std::vector<config::UpstreamConfig> replaced;  // changed command, URL, env, ...: restarted
    std::vector<std::string> approved;             // quarantine lifted
    std::vector<std::pair<std::string, bool>> enabled_changed;
    std::vector<std::string> needs_restart;  // top-level keys that change only with a restart

    [[nodiscard]] bool empty() const;
};

ReloadPlan plan_reload(const config::Config& applied, const config::Config& next);

// Re-reads the config on SIGHUP (systemctl reload) and applies what can change on a running
// proxy: log level and format, the activity log's limits, the upstream list (added, removed,
// changed, enabled, approved).
// Anything else is reported as needing a restart and keeps its old value. A config that does
// not load is logged and changes nothing.
class ConfigReloader {
public:
    struct Hooks {
        std::function<config::Config()> load;  // the config as the command line would build it
        std::function<void()> before;          // e.g. RELOADING=1 to systemd
        std::function<void()> after;           // e.g. READY=1 to systemd
        // Applies new activity log limits; without it they need a restart.
        std::function<void(const config::ActivityConfig&)> activity;
    };

    ConfigReloader(boost::asio::io_context& io, config::Config applied,
                   std::shared_ptr<upstream::UpstreamManager> upstreams, Hooks hooks);

    void start();  // listens for SIGHUP
    void stop();   // thread-safe
    // Applies the config file now; returns the plan it applied (empty when it failed to load).
    ReloadPlan reload();

private:
    void wait();

    boost::asio::signal_set signals_;
    config::Config applied_;  // touched only by reload(), which runs on one strand of SIGHUPs
    std::shared_ptr<upstream::UpstreamManager> upstreams_;
    Hooks hooks_;
    std::shared_ptr<spdlog::logger> log_;
};

}  // namespace mcpproxy::app
