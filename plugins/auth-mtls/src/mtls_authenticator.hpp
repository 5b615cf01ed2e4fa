#pragma once

#include <vector>

#include "mapping_rules.hpp"
#include "mcpproxy/sdk/auth_bridge.hpp"

namespace mcpproxy::mtls {

// Maps the verified client certificate the kernel hands over (only verified ones reach here) to
// an identity. No certificate: not mine (the next bridge, or 401). A certificate no rule maps:
// 403, attributed to the certificate's subject.
class MtlsAuthenticator final : public sdk::AuthBridge {
public:
    explicit MtlsAuthenticator(std::vector<MappingRule> rules) : rules_(std::move(rules)) {}

    sdk::AuthResult authenticate(const sdk::RequestView& request) override;
    [[nodiscard]] std::string challenge(const sdk::RequestView& request) const override;
    [[nodiscard]] std::vector<std::string> credential_names(std::size_t limit) const override;
    [[nodiscard]] std::string setup_hint() const override;

private:
    std::vector<MappingRule> rules_;  // immutable after construction: no locking needed
};

}  // namespace mcpproxy::mtls
