// Certificate facts, mapping rules and the auth bridge's three answers, on certificates made with
// the plugin's own PKI code.
#include <gtest/gtest.h>

#include "certificate_facts.hpp"
#include "mapping_rules.hpp"
#include "mtls_authenticator.hpp"
#include "pki.hpp"

namespace mcpproxy::mtls {
namespace {

std::string der_of(X509* cert) {
    const int n = i2d_X509(cert, nullptr);
    std::string der(static_cast<std::size_t>(n), '\0');
    auto* p = reinterpret_cast<unsigned char*>(der.data());
    i2d_X509(cert, &p);
    return der;
}

std::string make_client_der(const std::string& cn, std::vector<std::string> dns = {},
                            std::vector<std::string> uris = {},
                            std::vector<std::string> emails = {}) {
    auto ca_key = generate_key();
    CertSpec ca_spec;
    ca_spec.common_name = "test CA";
    ca_spec.is_ca = true;
    auto ca = issue_certificate(ca_spec, ca_key.get(), nullptr, nullptr);
    auto key = generate_key();
    CertSpec spec;
    spec.common_name = cn;
    spec.dns = std::move(dns);
    spec.uris = std::move(uris);
    spec.emails = std::move(emails);
    spec.client_auth = true;
    auto cert = issue_certificate(spec, key.get(), ca.get(), ca_key.get());
    return der_of(cert.get());
}

class FakeRequest final : public sdk::RequestView {
public:
    explicit FakeRequest(std::string der) : der_(std::move(der)) {}
    std::string_view method() const override { return "POST"; }
    std::string_view path() const override { return "/mcp"; }
    std::string_view query() const override { return {}; }
    std::optional<std::string_view> header(std::string_view) const override { return std::nullopt; }
    std::string_view peer_address() const override { return "127.0.0.1"; }
    std::string_view listener_name() const override { return "main"; }
    bool is_tls() const override { return true; }
    std::string_view peer_certificate_der() const override { return der_; }

private:
    std::string der_;
};

TEST(CertificateFacts, ReadsSubjectSansSpiffeAndFingerprint) {
    const auto der = make_client_der("ci-bot", {"bot.example.com"},
                                     {"https://x.example/a", "spiffe://example.org/ns/ci/sa/bot"},
                                     {"bot@example.com"});
    const auto facts = read_certificate_facts(der);
    ASSERT_TRUE(facts);
    EXPECT_EQ(facts->subject_cn, "ci-bot");
    EXPECT_EQ(facts->subject, "CN=ci-bot");
    EXPECT_EQ(facts->san_dns, std::vector<std::string>{"bot.example.com"});
    EXPECT_EQ(facts->san_email, std::vector<std::string>{"bot@example.com"});
    EXPECT_EQ(facts->spiffe_id, "spiffe://example.org/ns/ci/sa/bot");
    EXPECT_EQ(facts->fingerprint_sha256.size(), 64U);
    EXPECT_FALSE(read_certificate_facts("not a certificate"));
}

TEST(MappingRules, EachFieldMatchesOnlyItsOwnValue) {
    const auto der = make_client_der("ci-bot", {"bot.example.com"}, {"spiffe://example.org/bot"},
                                     {"bot@example.com"});
    const auto facts = *read_certificate_facts(der);
    std::string colon_pin;
    for (std::size_t i = 0; i < facts.fingerprint_sha256.size(); i += 2) {
        if (i) colon_pin += ':';
        colon_pin += facts.fingerprint_sha256.substr(i, 2);
    }
    for (auto& c : colon_pin) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const std::vector<std::pair<std::string, std::string>> hits{
        {"subject_cn", "ci-bot"},
        {"san_dns", "bot.example.com"},
        {"san_uri", "spiffe://example.org/bot"},
        {"san_email", "bot@example.com"},
        {"spiffe_id", "spiffe://example.org/bot"},
        {"fingerprint_sha256", colon_pin}};
    for (const auto& [field, value] : hits) {
        nlohmann::json config{{"rules", {{{"name", "r"}, {field, value}, {"servers", "*"}}}}};
        const auto rules = parse_mtls_config(config.dump()).rules;
        EXPECT_NE(find_rule(rules, facts), nullptr) << field;
        nlohmann::json other{{"rules",
                              {{{"name", "r"},
                                {field, field == "fingerprint_sha256" ? std::string(64, 'a')
                                        : field == "spiffe_id"        ? "spiffe://example.org/other"
                                                                      : "other"},
                                {"servers", "*"}}}}};
        EXPECT_EQ(find_rule(parse_mtls_config(other.dump()).rules, facts), nullptr) << field;
    }
}

TEST(MappingRules, ConfigErrorsNameTheRuleAndKey) {
    auto error_of = [](const std::string& text) {
        try {
            (void)parse_mtls_config(text);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(error_of(R"({"rules":[{"name":"a","servers":"*"}]})")
                  .find("config.rules[0]: give exactly one"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"rules":[{"name":"a","subject_cn":"x","san_dns":"y","servers":"*"}]})")
                  .find("exactly one"),
              std::string::npos);
    EXPECT_NE(
        error_of(R"({"rules":[{"name":"a","subject_cn":"x"}]})").find("config.rules[0].servers"),
        std::string::npos);
    EXPECT_NE(
        error_of(R"({"rules":[{"name":"a","subject_cn":"x","servers":"*","permissions":"write"}]})")
            .find("read is mandatory"),
        std::string::npos);
    EXPECT_NE(error_of(R"({"rules":[{"name":"a","fingerprint_sha256":"abc","servers":"*"}]})")
                  .find("64 hex"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"rules":[{"name":"a","subject_cn":"x","servers":"*","colour":1}]})")
                  .find("unknown key \"colour\""),
              std::string::npos);
    EXPECT_NE(error_of(R"({"rulez":[]})").find("unknown key"), std::string::npos);
}

TEST(MtlsAuthenticator, NoCertificateIsNotMineMappedIsAcceptedUnmappedIsForbidden) {
    const auto config = parse_mtls_config(
        R"({"rules":[{"name":"ci","subject_cn":"ci-bot","servers":["alpha"],"permissions":"read,write",
                      "limits":{"requests_per_second":2,"burst":3}}]})");
    MtlsAuthenticator auth(config.rules);
    EXPECT_EQ(auth.authenticate(FakeRequest("")).outcome, sdk::AuthOutcome::not_mine);

    const auto mapped = auth.authenticate(FakeRequest(make_client_der("ci-bot")));
    ASSERT_EQ(mapped.outcome, sdk::AuthOutcome::authenticated);
    EXPECT_EQ(mapped.identity.name, "ci");
    EXPECT_EQ(mapped.identity.kind, "mtls");
    EXPECT_EQ(mapped.identity.allowed_servers, std::vector<std::string>{"alpha"});
    EXPECT_EQ(mapped.identity.permission, sdk::Permission::write);
    EXPECT_EQ(mapped.identity.limits.requests_per_second, 2.0);
    EXPECT_EQ(mapped.identity.limits.burst, 3U);

    const auto unmapped = auth.authenticate(FakeRequest(make_client_der("stranger")));
    EXPECT_EQ(unmapped.outcome, sdk::AuthOutcome::forbidden);
    EXPECT_EQ(unmapped.identity.name, "cert:stranger");
    EXPECT_TRUE(unmapped.identity.allowed_servers.empty());
    EXPECT_EQ(unmapped.reason, "unmapped_certificate");

    EXPECT_EQ(auth.authenticate(FakeRequest("garbage")).outcome, sdk::AuthOutcome::rejected);
    EXPECT_TRUE(auth.challenge(FakeRequest("")).empty());
    EXPECT_EQ(auth.credential_names(10), std::vector<std::string>{"mtls:ci"});
}

}  // namespace
}  // namespace mcpproxy::mtls
