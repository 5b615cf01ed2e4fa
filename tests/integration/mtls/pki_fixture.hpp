#pragma once

// Certificates for the mTLS tests, made with the auth-mtls plugin's PKI code: a CA, a server
// certificate, client certificates for every row of the handshake matrix, and a CRL.

#include <filesystem>
#include <string>

#include "pki.hpp"

namespace mcpproxy::test::mtls {

struct Pki {
    std::filesystem::path dir;
    // Files in dir: ca.pem, server.pem, server-key.pem, crl.pem, and <name>.pem / <name>-key.pem
    // for the clients: mapped (CN=agent-a), unmapped (CN=stranger), expired (CN=agent-a, expired
    // yesterday), wrong-ca (CN=agent-a from another CA), revoked (CN=revoked-one, in crl.pem).
    [[nodiscard]] std::string file(const std::string& name) const { return (dir / name).string(); }
};

Pki make_pki(const std::filesystem::path& dir);

// Writes a new server certificate (common name `cn`, same CA) over server.pem and server-key.pem,
// each file replaced atomically (key first, so a reload sees either the old pair or a key that
// does not match yet, never a torn file).
void rotate_server_certificate(const Pki& pki, const std::string& cn);

}  // namespace mcpproxy::test::mtls
