#include "agent_token_authenticator.hpp"

#include "credential_extract.hpp"
#include "token_format.hpp"

namespace mcpproxy::agent_token {

AgentTokenAuthenticator::AgentTokenAuthenticator(const TokenView& view, UsageTracker& usage,
                                                 Clock clock, bool accept_x_api_key)
    : view_(view), usage_(usage), clock_(std::move(clock)), accept_x_api_key_(accept_x_api_key) {}

sdk::AuthResult AgentTokenAuthenticator::authenticate(const sdk::RequestView& request) {
    const auto credential = find_agent_token(request, accept_x_api_key_);
    if (!credential) return sdk::AuthResult::not_mine();
    try {
        return decide(*credential);
    } catch (...) {
        // Fail closed; the cause (an OpenSSL allocation failure) says nothing about the caller.
        return sdk::AuthResult::reject("internal_error");
    }
}

sdk::AuthResult AgentTokenAuthenticator::decide(std::string_view credential) {
    auto reject = [](std::atomic<std::uint64_t>& counter, const char* why) {
        counter.fetch_add(1, std::memory_order_relaxed);
        return sdk::AuthResult::reject(why);
    };
    if (!is_well_formed_token(credential)) return reject(unknown_, "unknown_token");
    const TokenHasher* hasher = hasher_.load(std::memory_order_acquire);
    if (hasher == nullptr) return sdk::AuthResult::reject("unavailable");

    const auto match = view_.find(hasher->hash_repeated(credential));
    if (!match) return reject(unknown_, "unknown_token");
    const ViewEntry& entry = *match->entry;
    const auto now = std::chrono::floor<std::chrono::seconds>(clock_());
    if (entry.revoked) return reject(revoked_, "revoked");
    // A replaced secret past its grace period is just an unknown secret.
    if (match->via_previous && now >= entry.previous_valid_until)
        return reject(unknown_, "unknown_token");
    if (now >= entry.expires_at) return reject(expired_, "expired");

    note_use(entry, now);
    accepted_.fetch_add(1, std::memory_order_relaxed);
    sdk::Identity identity = entry.identity;
    if (match->via_previous) identity.attributes["credential"] = "previous_secret";
    return sdk::AuthResult::accept(std::move(identity));
}

void AgentTokenAuthenticator::note_use(const ViewEntry& entry, Seconds now) {
    const auto second = now.time_since_epoch().count();
    auto last = entry.last_reported.load(std::memory_order_relaxed);
    if (last < second &&
        entry.last_reported.compare_exchange_strong(last, second, std::memory_order_relaxed)) {
        usage_.record(entry.id, now);
    }
}

AuthCounters AgentTokenAuthenticator::counters() const noexcept {
    return {accepted_.load(std::memory_order_relaxed), unknown_.load(std::memory_order_relaxed),
            expired_.load(std::memory_order_relaxed), revoked_.load(std::memory_order_relaxed)};
}

}  // namespace mcpproxy::agent_token

namespace mcpproxy::agent_token {

std::vector<std::string> AgentTokenAuthenticator::credential_names(std::size_t limit) const {
    return view_.active_names(std::chrono::floor<std::chrono::seconds>(clock_()), limit);
}

}  // namespace mcpproxy::agent_token
