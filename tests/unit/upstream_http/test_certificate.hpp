#pragma once

#include <string>
#include <vector>

namespace mcpproxy::test {

struct TestCertificate {
    std::string cert_pem;
    std::string key_pem;
};

// A self-signed P-256 certificate valid for an hour, for the given subjectAltName entries
// ("DNS:localhost", "IP:127.0.0.1").
TestCertificate make_self_signed_certificate(const std::vector<std::string>& alt_names);

}  // namespace mcpproxy::test
