#include "upstream/upstream_oauth_client.hpp"

namespace mcpproxy::oauth {

UpstreamOAuthClient::UpstreamOAuthClient(sdk::Host& host, RefreshPolicy policy)
    : host_(host),
      policy_(policy),
      provider_(snapshot_, [this](const std::string& server) { request_refresh(server); }) {}

UpstreamOAuthClient::~UpstreamOAuthClient() {
    stop();
}

void UpstreamOAuthClient::start() {
    std::lock_guard lock(mutex_);
    if (refresher_) return;
    try {
        store_ = std::make_unique<TokenStore>(host_.data_dir());
        refresher_ = std::make_unique<TokenRefresher>(
            *store_, snapshot_, host_.http(), host_.logger(), [this] { return host_.now(); },
            policy_);
        refresher_->start();
        start_error_.clear();
    } catch (const std::exception& e) {
        // The inbound half must keep working: without its store the upstream half sends nothing.
        refresher_.reset();
        store_.reset();
        start_error_ = e.what();
        host_.logger().error(std::string("upstream OAuth disabled: ") + e.what());
    }
}

void UpstreamOAuthClient::stop() noexcept {
    std::unique_ptr<TokenRefresher> refresher;
    {
        std::lock_guard lock(mutex_);
        refresher = std::move(refresher_);
    }
    if (refresher) refresher->stop();
}

void UpstreamOAuthClient::request_refresh(const std::string& server) {
    std::lock_guard lock(mutex_);
    if (refresher_) refresher_->request_refresh(server);
}

std::string UpstreamOAuthClient::describe() const {
    {
        std::lock_guard lock(mutex_);
        if (!start_error_.empty()) return "upstream OAuth disabled: " + start_error_;
    }
    const auto tokens = snapshot_.all();
    if (tokens.empty()) return {};
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(host_.now().time_since_epoch()).count();
    std::string out = "upstream OAuth:";
    bool first = true;
    for (const auto& [server, t] : tokens) {
        std::string state = "valid";
        if (!t.login_needed.empty())
            state = "login needed";
        else if (t.expires_at > 0 && t.expires_at <= now)
            state = t.refreshable ? "expired (refreshing)" : "login needed";
        out += (first ? " " : ", ") + server + " " + state;
        first = false;
    }
    return out;
}

}  // namespace mcpproxy::oauth
