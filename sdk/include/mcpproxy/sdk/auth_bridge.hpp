#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "mcpproxy/sdk/identity.hpp"
#include "mcpproxy/sdk/request_view.hpp"
#include "mcpproxy/sdk/visibility.hpp"

namespace mcpproxy::sdk {

enum class AuthOutcome {
    not_mine,       // this bridge sees no credential of its kind; the next bridge is asked
    authenticated,  // identity is set
    rejected,       // a credential of this kind was presented and is not valid
    // A valid credential of this kind that grants nothing here (an unmapped client certificate,
    // a token without a required scope): the kernel answers 403 instead of 401.
    forbidden,
};

struct AuthResult {
    AuthOutcome outcome = AuthOutcome::not_mine;
    Identity identity;  // authenticated: who; forbidden: whom the credential names
    // Why a credential was rejected, for the operator's logs and activity log only; never sent to
    // the client. Short snake_case codes: "unknown_token", "expired", "revoked", ...
    std::string reason;
    // The WWW-Authenticate value for this answer when the bridge wants a specific one (RFC 6750
    // error="invalid_token" or error="insufficient_scope"); empty: a 401 carries the listener's
    // first bridge's challenge(), a 403 carries none. Never a secret.
    std::string challenge;

    static AuthResult not_mine() { return {}; }
    static AuthResult reject(std::string why, std::string challenge = {}) {
        return {AuthOutcome::rejected, {}, std::move(why), std::move(challenge)};
    }
    // who: whom the credential names, for the activity log (its name at least; it grants nothing).
    static AuthResult forbid(Identity who, std::string why, std::string challenge = {}) {
        return {AuthOutcome::forbidden, std::move(who), std::move(why), std::move(challenge)};
    }
    static AuthResult accept(Identity who) {
        return {AuthOutcome::authenticated, std::move(who), {}, {}};
    }
};

// Looks at a request and says who sent it. Called concurrently from I/O threads: it must be
// thread-safe, must not block on the network, and should answer in microseconds.
class MCPPROXY_SDK_VISIBLE AuthBridge {
public:
    virtual ~AuthBridge() = default;
    virtual AuthResult authenticate(const RequestView& request) = 0;
    // The WWW-Authenticate value sent with a 401: the first non-empty one of the listener's
    // bridges, in order ("Bearer" when none gives one). Empty: this bridge has none to offer.
    [[nodiscard]] virtual std::string challenge(const RequestView& /*request*/) const {
        return "Bearer";
    }
    // Names of the credentials this bridge accepts right now (at most `limit`), for the start-up
    // banner and tunnel-mode checks; never secrets. A bridge that accepts credentials issued
    // elsewhere (JWTs from an identity provider) returns a description such as "oauth:<issuer>".
    // Empty means it would accept nobody.
    [[nodiscard]] virtual std::vector<std::string> credential_names(std::size_t /*limit*/) const {
        return {};
    }
    // One line telling an operator how to create a first credential, shown when a listener
    // that requires authentication would accept nobody.
    [[nodiscard]] virtual std::string setup_hint() const { return {}; }
};

}  // namespace mcpproxy::sdk
