#pragma once

#include <filesystem>
#include <ostream>
#include <string>

#include "mcpproxy/sdk/command.hpp"

namespace mcpproxy::mtls {

struct CertInitOptions {
    std::filesystem::path out;
    std::string server_name =
        "localhost";  // DNS SAN of the server certificate (plus 127.0.0.1, ::1)
    std::string client_name = "mcpproxy-client";  // CN of the client certificate
    int days = 365;
    bool force = false;  // overwrite existing files
};

// Writes ca.pem, ca-key.pem, server.pem, server-key.pem, client.pem, client-key.pem into
// options.out (created 0700); keys are mode 0600 and written atomically. Refuses to overwrite
// unless force. Throws std::runtime_error. Prints what it made (paths, no key material).
void cert_init(const CertInitOptions& options, std::ostream& out);

// The `cert init` CLI command.
[[nodiscard]] sdk::CommandSpec cert_init_command();

}  // namespace mcpproxy::mtls
