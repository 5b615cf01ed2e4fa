#include "agent_token_plugin.hpp"

#include "cli_commands.hpp"
#include "store_key.hpp"
#include "token_routes.hpp"

namespace mcpproxy::agent_token {

AgentTokenPlugin::AgentTokenPlugin(sdk::Host& host)
    : host_(host),
      config_(parse_plugin_config(host.config_json())),
      authenticator_(
          view_, usage_, [&host] { return host.now(); }, config_.accept_x_api_key),
      refresher_(host.data_dir(), view_, usage_, host.logger(),
                 RefresherOptions{config_.poll_interval, config_.last_used_flush_interval,
                                  config_.busy_timeout}) {
    CommandEnvironment env;
    env.data_dir = [&host] { return std::filesystem::path(host.data_dir()); };
    env.clock = [&host] { return host.now(); };
    env.busy_timeout = config_.busy_timeout;
    env.default_lifetime = config_.default_lifetime;
    host.register_route(token_route(env, [this] { refresher_.refresh_now(); }));
    for (auto& command : token_commands(std::move(env))) host.register_command(std::move(command));
}

AgentTokenPlugin::~AgentTokenPlugin() {
    stop();
}

void AgentTokenPlugin::start() {
    if (running_) return;
    const std::filesystem::path data_dir = host_.data_dir();
    if (!hasher_) {
        TokenStore store(data_dir, config_.busy_timeout);
        hasher_ = open_store_key(data_dir, store);
    }
    refresher_.start();  // the view is complete before the first request is authenticated
    authenticator_.set_hasher(hasher_.get());
    running_ = true;
    host_.logger().info("agent tokens loaded: " + std::to_string(view_.size()) + " from " +
                        (data_dir / kStoreFileName).string());
}

void AgentTokenPlugin::stop() noexcept {
    // The hasher stays: requests still in flight may authenticate against the last view.
    refresher_.stop();
    running_ = false;
}

std::string AgentTokenPlugin::health_detail() const {
    if (!running_) return "not started";
    const auto health = refresher_.health();
    const auto c = authenticator_.counters();
    std::string detail = std::to_string(view_.size()) + " agent tokens";
    if (!health.ok) detail += "; token store refresh failing: " + health.error;
    detail += "; accepted " + std::to_string(c.accepted) + ", rejected " +
              std::to_string(c.unknown + c.expired + c.revoked) + " (unknown " +
              std::to_string(c.unknown) + ", expired " + std::to_string(c.expired) + ", revoked " +
              std::to_string(c.revoked) + ")";
    return detail;
}

}  // namespace mcpproxy::agent_token
