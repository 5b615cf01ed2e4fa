#pragma once

#include "mcpproxy/sdk/plugin.hpp"
#include "mtls_authenticator.hpp"

namespace mcpproxy::mtls {

// The auth-mtls plugin: maps verified client certificates to identities by config rules and
// contributes `mcpproxy cert init`. The TLS itself (handshake, CA, CRL, reload) is the
// listener's: see the "tls" block of the config.
class MtlsPlugin final : public sdk::Plugin {
public:
    explicit MtlsPlugin(sdk::Host& host);
    sdk::AuthBridge* auth_bridge() override { return &authenticator_; }
    [[nodiscard]] std::string health_detail() const override;

private:
    std::size_t rule_count_;
    MtlsAuthenticator authenticator_;
};

}  // namespace mcpproxy::mtls
