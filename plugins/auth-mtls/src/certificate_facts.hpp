#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpproxy::mtls {

// What the mapping rules look at in a client certificate. None of it is secret.
struct CertificateFacts {
    std::string subject;     // one line, RFC 2253 ("CN=ci-bot,O=Example")
    std::string subject_cn;  // empty when the subject has no CN
    std::vector<std::string> san_dns;
    std::vector<std::string> san_uri;
    std::vector<std::string> san_email;
    std::string spiffe_id;           // the first URI SAN that starts with "spiffe://"
    std::string fingerprint_sha256;  // lower-case hex of SHA-256 over the DER, no separators
};

// Parses a DER certificate; nullopt when it does not parse.
[[nodiscard]] std::optional<CertificateFacts> read_certificate_facts(std::string_view der);

// "AB:CD:..." or "abcd..." -> "abcd..."; empty when it is not 64 hex digits.
[[nodiscard]] std::string normalize_fingerprint(std::string_view text);

}  // namespace mcpproxy::mtls
