// The proxy as a service: systemd notifications and the SIGHUP config reload.
#include "kernel/app/server.hpp"
#include "kernel/config/config_loader.hpp"

namespace mcpproxy::app {

void Server::start_service_hooks() {
    notifier_ = std::make_unique<SystemdNotifier>(io_, readiness_);
    ConfigReloader::Hooks hooks;
    hooks.load = options_.reload_config;
    if (!hooks.load) {
        hooks.load = [file = config_.source_file, current = config_] {
            return file.empty() ? current : config::load_config_file(file);
        };
    }
    hooks.before = [this] { notifier_->reloading(); };
    hooks.after = [this] { notifier_->reloaded(); };
    hooks.activity = [this](const config::ActivityConfig& limits) {
        activity_->set_limits(limits.retention, limits.max_size);
    };
    reloader_ = std::make_unique<ConfigReloader>(io_, config_, upstreams_, std::move(hooks));
    reloader_->start();
    notifier_->watch_readiness();
}

void Server::stop_service_hooks() {
    if (notifier_) notifier_->stopping();
    if (reloader_) reloader_->stop();
}

}  // namespace mcpproxy::app
