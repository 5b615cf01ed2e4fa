#include "jwks_cache.hpp"

#include <nlohmann/json.hpp>

namespace mcpproxy::oauth {
namespace {

std::string metadata_url(const std::string& issuer, const std::string& well_known) {
    // RFC 8414: the well-known segment goes between the host and the issuer's path.
    const auto scheme_end = issuer.find("://");
    const auto path_start = issuer.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
    if (path_start == std::string::npos) return issuer + "/.well-known/" + well_known;
    std::string path = issuer.substr(path_start);
    if (path == "/") path.clear();
    return issuer.substr(0, path_start) + "/.well-known/" + well_known + path;
}

}  // namespace

JwksCache::JwksCache(Settings settings, sdk::HttpClient& http, sdk::Logger& log)
    : settings_(std::move(settings)), http_(http), log_(log), jwks_uri_(settings_.jwks_uri) {}

JwksCache::~JwksCache() {
    stop();
}

void JwksCache::start() {
    if (thread_.joinable()) return;
    thread_ = std::thread([this] { run(); });
}

void JwksCache::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

std::shared_ptr<const JwkSet> JwksCache::keys() const {
    std::lock_guard lock(mutex_);
    return keys_;
}

void JwksCache::request_refetch() {
    {
        std::lock_guard lock(mutex_);
        if (refetch_wanted_) return;
        refetch_wanted_ = true;
    }
    wake_.notify_all();
}

std::string JwksCache::describe() const {
    std::lock_guard lock(mutex_);
    std::string out = std::to_string(keys_->size()) + " signing key(s) from " +
                      (jwks_uri_.empty() ? std::string("(not discovered yet)") : jwks_uri_);
    if (!last_error_.empty()) out += "; last fetch failed: " + last_error_;
    return out;
}

std::string JwksCache::discover_jwks_uri() {
    for (const char* doc : {"oauth-authorization-server", "openid-configuration"}) {
        sdk::HttpClientRequest req;
        req.url = metadata_url(settings_.issuer, doc);
        req.headers["Accept"] = "application/json";
        const auto res = http_.send(req);
        if (res.status != 200) continue;
        const auto j = nlohmann::json::parse(res.body, nullptr, false);
        if (j.is_discarded() || !j.is_object()) continue;
        if (j.value("issuer", std::string()) != settings_.issuer) {
            log_.log(sdk::LogLevel::warn,
                     "issuer metadata at " + req.url + " names another issuer; ignored");
            continue;
        }
        const auto uri = j.value("jwks_uri", std::string());
        if (!uri.empty()) return uri;
    }
    return {};
}

bool JwksCache::fetch_once() {
    std::string uri;
    {
        std::lock_guard lock(mutex_);
        uri = jwks_uri_;
    }
    if (uri.empty()) {
        uri = discover_jwks_uri();
        std::lock_guard lock(mutex_);
        if (uri.empty()) {
            last_error_ = "no jwks_uri in the issuer's metadata";
            return false;
        }
        jwks_uri_ = uri;
    }
    sdk::HttpClientRequest req;
    req.url = uri;
    req.headers["Accept"] = "application/json";
    const auto res = http_.send(req);
    std::string error;
    std::shared_ptr<JwkSet> parsed;
    if (res.status != 200) {
        error = res.status == 0 ? res.error : "HTTP " + std::to_string(res.status);
    } else {
        try {
            parsed = std::make_shared<JwkSet>(parse_jwks(res.body));
        } catch (const std::exception& e) {
            error = e.what();
        }
    }
    std::lock_guard lock(mutex_);
    if (!parsed) {
        last_error_ = error;
        return false;
    }
    const bool changed =
        parsed->size() != keys_->size() ||
        !std::equal(parsed->begin(), parsed->end(), keys_->begin(),
                    [](const auto& a, const auto& b) { return a.first == b.first; });
    keys_ = std::move(parsed);
    last_error_.clear();
    if (changed)
        log_.log(sdk::LogLevel::info,
                 "JWKS loaded: " + std::to_string(keys_->size()) + " signing key(s)");
    return true;
}

void JwksCache::run() {
    using clock = std::chrono::steady_clock;
    auto backoff = std::chrono::milliseconds(500);
    auto last_fetch = clock::now() - settings_.min_refetch_interval;
    auto next_refresh = clock::now();
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            for (;;) {
                if (stopping_) return;
                const auto now = clock::now();
                const bool refetch_due =
                    refetch_wanted_ && now >= last_fetch + settings_.min_refetch_interval;
                if (now >= next_refresh || refetch_due) break;
                auto until = next_refresh;
                if (refetch_wanted_)
                    until = std::min(until, last_fetch + settings_.min_refetch_interval);
                wake_.wait_until(lock, until);
            }
            refetch_wanted_ = false;
        }
        last_fetch = clock::now();
        if (fetch_once()) {
            backoff = std::chrono::milliseconds(500);
            next_refresh = clock::now() + settings_.refresh_interval;
        } else {
            log_.log(sdk::LogLevel::warn,
                     "JWKS fetch failed (keeping the keys in use): " + describe());
            next_refresh = clock::now() + backoff;
            backoff = std::min(backoff * 2, std::chrono::milliseconds(std::chrono::minutes(5)));
        }
    }
}

}  // namespace mcpproxy::oauth
