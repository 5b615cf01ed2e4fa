#include "mtls_authenticator.hpp"

namespace mcpproxy::mtls {

sdk::AuthResult MtlsAuthenticator::authenticate(const sdk::RequestView& request) {
    const auto der = request.peer_certificate_der();
    if (der.empty()) return sdk::AuthResult::not_mine();
    const auto facts = read_certificate_facts(der);
    if (!facts) return sdk::AuthResult::reject("unreadable_certificate");
    if (const auto* rule = find_rule(rules_, *facts)) {
        auto identity = auth_common::make_identity(rule->name, "mtls", rule->scope);
        identity.attributes["subject"] = facts->subject;
        identity.attributes["fingerprint_sha256"] = facts->fingerprint_sha256;
        identity.attributes["matched"] = std::string(field_name(rule->field));
        return sdk::AuthResult::accept(std::move(identity));
    }
    sdk::Identity who;
    who.name = "cert:" + (facts->subject_cn.empty() ? facts->fingerprint_sha256.substr(0, 16)
                                                    : facts->subject_cn);
    who.kind = "mtls";
    who.allowed_servers = {};
    who.attributes["subject"] = facts->subject;
    who.attributes["fingerprint_sha256"] = facts->fingerprint_sha256;
    return sdk::AuthResult::forbid(std::move(who), "unmapped_certificate");
}

std::string MtlsAuthenticator::challenge(const sdk::RequestView& /*request*/) const {
    return {};  // no HTTP scheme names client certificates: leave the challenge to other bridges
}

std::vector<std::string> MtlsAuthenticator::credential_names(std::size_t limit) const {
    std::vector<std::string> names;
    for (const auto& rule : rules_) {
        if (names.size() >= limit) break;
        names.push_back("mtls:" + rule.name);
    }
    return names;
}

std::string MtlsAuthenticator::setup_hint() const {
    return "add a rule to auth-mtls's config (e.g. {\"name\": \"me\", \"subject_cn\": \"me\", "
           "\"servers\": \"*\"}); "
           "`mcpproxy cert init --out DIR` makes a CA and certificates to try it";
}

}  // namespace mcpproxy::mtls
