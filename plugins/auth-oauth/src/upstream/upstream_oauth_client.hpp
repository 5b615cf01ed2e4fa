#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "mcpproxy/sdk/host.hpp"
#include "upstream/token_refresher.hpp"
#include "upstream/token_snapshot.hpp"
#include "upstream/token_store.hpp"
#include "upstream/upstream_config.hpp"
#include "upstream/upstream_credentials_provider.hpp"

namespace mcpproxy::oauth {

// The running proxy's side of the upstream OAuth client: the store, its in-memory snapshot, the
// refresh thread and the SDK credentials built on them. The CLI commands open the store
// themselves; nothing here touches the disk before start().
class UpstreamOAuthClient {
public:
    UpstreamOAuthClient(sdk::Host& host, RefreshPolicy policy = {});
    ~UpstreamOAuthClient();

    // Opens the store and starts refreshing; a store that cannot be opened is logged and shown
    // by describe(), not thrown, so the plugin's inbound half keeps working.
    void start();
    void stop() noexcept;
    [[nodiscard]] sdk::UpstreamCredentials& credentials() { return provider_; }
    // "upstream OAuth: github valid, notion login needed" (empty when no server has tokens).
    [[nodiscard]] std::string describe() const;

private:
    void request_refresh(const std::string& server);

    sdk::Host& host_;
    RefreshPolicy policy_;
    TokenSnapshot snapshot_;
    UpstreamCredentialsProvider provider_;
    mutable std::mutex mutex_;  // guards refresher_ against request_refresh during start/stop
    std::unique_ptr<TokenStore> store_;
    std::unique_ptr<TokenRefresher> refresher_;
    std::string start_error_;  // why the store could not be opened; empty when it could
};

}  // namespace mcpproxy::oauth
