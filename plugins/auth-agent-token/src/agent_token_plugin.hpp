#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "agent_token_authenticator.hpp"
#include "mcpproxy/sdk/plugin.hpp"
#include "plugin_config.hpp"
#include "token_hasher.hpp"
#include "token_view.hpp"
#include "usage_tracker.hpp"
#include "view_refresher.hpp"

namespace mcpproxy::agent_token {

// The auth-agent-token plugin: constructed with the host (parses config, registers the `token`
// commands and the /api/v1/tokens management route; touches no files), start() binds the key,
// loads tokens.db and starts the refresher.
class AgentTokenPlugin final : public sdk::Plugin {
public:
    explicit AgentTokenPlugin(sdk::Host& host);
    ~AgentTokenPlugin() override;
    AgentTokenPlugin(const AgentTokenPlugin&) = delete;
    AgentTokenPlugin& operator=(const AgentTokenPlugin&) = delete;

    void start() override;
    void stop() noexcept override;
    sdk::AuthBridge* auth_bridge() override { return &authenticator_; }
    [[nodiscard]] std::string health_detail() const override;

private:
    sdk::Host& host_;
    PluginConfig config_;
    TokenView view_;
    UsageTracker usage_;
    std::unique_ptr<TokenHasher> hasher_;  // set by start(), kept until destruction
    AgentTokenAuthenticator authenticator_;
    ViewRefresher refresher_;
    std::atomic<bool> running_{false};
};

}  // namespace mcpproxy::agent_token
