#include "kernel/auth/auth_chain.hpp"

#include "kernel/log/logging.hpp"
#include "kernel/policy/access_policy.hpp"

namespace mcpproxy::auth {

AuthChain::AuthChain(std::vector<sdk::AuthBridge*> bridges, bool allow_anonymous)
    : bridges_(std::move(bridges)), allow_anonymous_(allow_anonymous), log_(log::get("auth")) {}

AuthDecision AuthChain::authenticate(const sdk::RequestView& request) const {
    AuthDecision decision;
    for (auto* bridge : bridges_) {
        sdk::AuthResult result;
        try {
            result = bridge->authenticate(request);
        } catch (const std::exception& e) {
            log_->error("an auth bridge failed: {}", e.what());
            result = sdk::AuthResult::reject("bridge_error");
        } catch (...) {
            result = sdk::AuthResult::reject("bridge_error");
        }
        if (result.outcome == sdk::AuthOutcome::not_mine) continue;
        if (result.outcome == sdk::AuthOutcome::authenticated) {
            decision.outcome = AuthDecision::Outcome::authenticated;
            decision.identity = std::move(result.identity);
            return decision;
        }
        if (result.outcome == sdk::AuthOutcome::forbidden) {
            decision.outcome = AuthDecision::Outcome::forbidden;
            decision.identity = std::move(result.identity);
            decision.reason = result.reason.empty() ? "forbidden" : result.reason;
            decision.challenge = std::move(result.challenge);
            return decision;
        }
        decision.reason = result.reason.empty() ? "rejected" : result.reason;
        decision.challenge = std::move(result.challenge);
        break;
    }
    if (decision.reason.empty() && allow_anonymous_) {
        decision.outcome = AuthDecision::Outcome::authenticated;
        decision.identity = policy::anonymous_local_identity();
        return decision;
    }
    if (decision.reason.empty()) decision.reason = "missing_credential";
    if (!decision.challenge.empty()) return decision;
    for (auto* bridge : bridges_) {
        try {
            decision.challenge = bridge->challenge(request);
        } catch (...) {
        }
        if (!decision.challenge.empty()) break;
    }
    if (decision.challenge.empty()) decision.challenge = "Bearer";
    return decision;
}

}  // namespace mcpproxy::auth
