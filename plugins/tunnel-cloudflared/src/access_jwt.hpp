#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "cloudflared_config.hpp"
#include "https_get.hpp"

using EVP_PKEY = struct evp_pkey_st;

namespace mcpproxy::tunnel_cloudflared {

enum class AccessCheck {
    ok,
    missing,
    malformed,
    unsupported_alg,
    unknown_key,
    bad_signature,
    wrong_issuer,
    wrong_audience,
    expired,
    not_yet_valid
};
std::string_view to_string(AccessCheck check);

// Verifies Cloudflare Access JWTs (Cf-Access-Jwt-Assertion): RS256 signature with a key from the
// team's JWKS, iss, aud, exp and nbf (with leeway). Keys are cached; a token naming an unknown
// kid triggers one refetch, at most once per min_refetch (so a flood of made-up kids cannot
// hammer the JWKS endpoint); keys are also refreshed every `refresh`. Thread-safe.
class AccessVerifier {
public:
    using Fetch = std::function<FetchResult(const std::string& url)>;
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    AccessVerifier(AccessConfig config, Fetch fetch, Clock now);
    AccessCheck verify(std::string_view token);
    // Refetches when the keys are older than `refresh` (or were never fetched). Returns whether
    // keys are loaded; error() says why not.
    bool refresh_if_due();
    [[nodiscard]] std::string error() const;
    [[nodiscard]] std::size_t fetches() const;

private:
    bool fetch_keys(bool only_if_allowed);
    std::shared_ptr<EVP_PKEY> key(const std::string& kid) const;

    AccessConfig config_;
    Fetch fetch_;
    Clock now_;
    mutable std::mutex mutex_;
    std::mutex fetch_mutex_;
    std::map<std::string, std::shared_ptr<EVP_PKEY>> keys_;
    std::chrono::steady_clock::time_point last_fetch_{};
    bool fetched_once_ = false;
    std::size_t fetches_ = 0;
    std::string error_;
};

}  // namespace mcpproxy::tunnel_cloudflared
