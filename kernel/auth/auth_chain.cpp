#include "kernel/auth/auth_chain.hpp"

#include "kernel/log/logging.hpp"
#include "kernel/policy/access_policy.hpp"
#include "kernel/util/exception_text.hpp"

namespace mcpproxy::auth {

AuthChain::AuthChain(std::vector<sdk::AuthBridge*> bridges, bool allow_anonymous,
                     std::vector<std::string> names)
    : bridges_(std::move(bridges)),
      names_(std::move(names)),
      failing_(std::make_unique<std::atomic<bool>[]>(bridges_.size())),
      challenge_failed_(std::make_unique<std::atomic<bool>[]>(bridges_.size())),
      allow_anonymous_(allow_anonymous),
      log_(log::get("auth")) {
    for (std::size_t i = names_.size(); i < bridges_.size(); ++i)
        names_.push_back("auth bridge " + std::to_string(i));
}

sdk::AuthResult AuthChain::ask(std::size_t index, const sdk::RequestView& request) const {
    std::string error;
    try {
        auto result = bridges_[index]->authenticate(request);
        if (failing_[index].exchange(false)) {
            log_->info("plugin {}: authenticate() answers again", names_[index]);
        }
        return result;
    } catch (...) {
        error = util::exception_text(std::current_exception());
    }
    // Per request this would flood the log (and let a caller grow it at will): once per spell.
    if (!failing_[index].exchange(true)) {
        log_->error(
            "plugin {}: authenticate() threw ({}); its requests are refused until it answers "
            "again, and further failures are not logged",
            names_[index], error);
    }
    return sdk::AuthResult::reject("bridge_error");
}

std::string AuthChain::challenge_of(std::size_t index, const sdk::RequestView& request) const {
    std::string error;
    try {
        return bridges_[index]->challenge(request);
    } catch (...) {
        error = util::exception_text(std::current_exception());
    }
    // The 401 still goes out, with the next bridge's challenge or plain "Bearer".
    if (!challenge_failed_[index].exchange(true)) {
        log_->error("plugin {}: challenge() threw ({}); further failures are not logged",
                    names_[index], error);
    }
    return {};
}

AuthDecision AuthChain::authenticate(const sdk::RequestView& request) const {
    AuthDecision decision;
    for (std::size_t i = 0; i < bridges_.size(); ++i) {
        sdk::AuthResult result = ask(i, request);
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
    for (std::size_t i = 0; i < bridges_.size() && decision.challenge.empty(); ++i) {
        decision.challenge = challenge_of(i, request);
    }
    if (decision.challenge.empty()) decision.challenge = "Bearer";
    return decision;
}

}  // namespace mcpproxy::auth
