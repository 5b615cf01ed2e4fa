#include "upstream/token_refresher.hpp"

#include "upstream/token_endpoint.hpp"

namespace mcpproxy::oauth {

std::int64_t refresh_due_at(std::int64_t obtained_at, std::int64_t expires_at, double fraction) {
    if (expires_at <= 0 || expires_at <= obtained_at) return expires_at > 0 ? expires_at : 0;
    const auto lifetime = static_cast<double>(expires_at - obtained_at);
    return obtained_at + static_cast<std::int64_t>(lifetime * fraction);
}

TokenRefresher::TokenRefresher(TokenStore& store, TokenSnapshot& snapshot, sdk::HttpClient& http,
                               sdk::Logger& logger, Clock now, RefreshPolicy policy)
    : store_(store),
      snapshot_(snapshot),
      http_(http),
      logger_(logger),
      now_(std::move(now)),
      policy_(policy) {}

TokenRefresher::~TokenRefresher() {
    stop();
}

void TokenRefresher::start() {
    if (thread_.joinable()) return;
    reload(false);
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
    }
    thread_ = std::thread([this] { run(); });
}

void TokenRefresher::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void TokenRefresher::request_refresh(const std::string& server) {
    {
        std::lock_guard lock(mutex_);
        requested_.insert(server);
    }
    wake_.notify_all();
}

std::int64_t TokenRefresher::backoff_until(const std::string& server) const {
    std::lock_guard lock(mutex_);
    const auto it = backoff_.find(server);
    return it == backoff_.end() ? 0 : it->second.next_attempt;
}

std::int64_t TokenRefresher::now_seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(now_().time_since_epoch()).count();
}

void TokenRefresher::reload(bool announce) {
    // Read the version before the rows: a commit in between shows up as a change next time.
    data_version_ = store_.data_version();
    const auto changed = snapshot_.replace_all(store_.tokens());
    if (!announce) return;
    for (const auto& server : changed) {
        logger_.info("upstream \"" + server + "\": using the OAuth access token from a new login");
    }
}

void TokenRefresher::run_once() {
    if (store_.data_version() != data_version_) reload(true);
    std::set<std::string> requested;
    {
        std::lock_guard lock(mutex_);
        requested.swap(requested_);
    }
    const auto now = now_seconds();
    for (const auto& record : store_.tokens()) {
        if (record.refresh_token.empty() || !record.login_needed.empty()) continue;
        const auto due = refresh_due_at(record.obtained_at, record.expires_at, policy_.at_fraction);
        const bool wanted = requested.count(record.server) != 0 || (due != 0 && now >= due);
        if (!wanted || now < backoff_until(record.server)) continue;
        refresh(record, now);
    }
}

void TokenRefresher::refresh(const TokenRecord& record, std::int64_t now) {
    std::vector<std::pair<std::string, std::string>> grant{{"grant_type", "refresh_token"},
                                                           {"refresh_token", record.refresh_token}};
    if (record.send_resource) grant.emplace_back("resource", record.resource);
    const TokenClient client{record.token_endpoint, record.client_id, record.client_secret,
                             record.auth_method};
    const auto answer = request_tokens(http_, client, std::move(grant));
    switch (answer.kind) {
        case TokenAnswer::Kind::issued: {
            TokenRecord next = record;
            next.access_token = answer.tokens.access_token;
            if (!answer.tokens.refresh_token.empty())
                next.refresh_token = answer.tokens.refresh_token;
            if (!answer.tokens.scope.empty()) next.scope = answer.tokens.scope;
            next.obtained_at = now;
            next.expires_at = answer.tokens.expires_in > 0 ? now + answer.tokens.expires_in : 0;
            next.login_needed.clear();
            if (store_.replace_token_if(record.refresh_token, next)) {
                logger_.info("refreshed the access token for upstream \"" + record.server + "\"" +
                             (answer.tokens.expires_in > 0
                                  ? " (valid " + std::to_string(answer.tokens.expires_in) + " s)"
                                  : std::string()));
            }
            {
                std::lock_guard lock(mutex_);
                backoff_.erase(record.server);
            }
            break;
        }
        case TokenAnswer::Kind::rejected: {
            const std::string reason =
                "the authorization server rejected the refresh token (" + answer.problem + ")";
            if (store_.mark_login_needed_if(record.server, record.refresh_token, reason)) {
                logger_.warn("upstream \"" + record.server + "\": " + reason +
                             "; run `mcpproxy auth login --server " + record.server + "`");
            }
            std::lock_guard lock(mutex_);
            backoff_.erase(record.server);
            break;
        }
        case TokenAnswer::Kind::failed:
            failed(record.server, answer.problem, now);
            return;
    }
    reload(false);
}

void TokenRefresher::failed(const std::string& server, const std::string& problem,
                            std::int64_t now) {
    std::int64_t delay = 0;
    bool first = false;
    {
        std::lock_guard lock(mutex_);
        auto& b = backoff_[server];
        first = b.delay == 0;
        delay = first ? policy_.first_backoff.count()
                      : std::min<std::int64_t>(b.delay * 2, policy_.max_backoff.count());
        b.delay = delay;
        b.next_attempt = now + delay;
    }
    const std::string message = "cannot refresh the access token for upstream \"" + server +
                                "\": " + problem + "; next try in " + std::to_string(delay) + " s";
    if (first)
        logger_.warn(message);
    else
        logger_.debug(message);
}

void TokenRefresher::run() {
    bool store_ok = true;  // log a failing store once, not every poll
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, policy_.poll_interval,
                       [this] { return stopping_ || !requested_.empty(); });
        if (stopping_) break;
        lock.unlock();
        try {
            run_once();
            if (!store_ok) logger_.info("upstream OAuth token store readable again");
            store_ok = true;
        } catch (const std::exception& e) {
            if (store_ok) logger_.error(std::string("upstream OAuth token store: ") + e.what());
            store_ok = false;
        }
        lock.lock();
    }
}

}  // namespace mcpproxy::oauth
