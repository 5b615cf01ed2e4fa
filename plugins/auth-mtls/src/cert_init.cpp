#include "cert_init.hpp"

#include <sys/stat.h>

#include <stdexcept>

#include "certificate_facts.hpp"
#include "pki.hpp"
#include "private_file_writer.hpp"

namespace mcpproxy::mtls {
namespace {

std::string der_fingerprint(X509* cert) {
    const int size = i2d_X509(cert, nullptr);
    std::string der(static_cast<std::size_t>(size), '\0');
    auto* p = reinterpret_cast<unsigned char*>(der.data());
    i2d_X509(cert, &p);
    const auto facts = read_certificate_facts(der);
    return facts ? facts->fingerprint_sha256 : std::string();
}

}  // namespace

void cert_init(const CertInitOptions& options, std::ostream& out) {
    if (options.days < 1 || options.days > 3650)
        throw std::runtime_error("--days must be from 1 to 3650");
    const auto& dir = options.out;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw std::runtime_error("cannot create " + dir.string() + ": " + ec.message());
    ::chmod(dir.c_str(), 0700);
    const char* names[] = {"ca.pem",         "ca-key.pem", "server.pem",
                           "server-key.pem", "client.pem", "client-key.pem"};
    if (!options.force) {
        for (const char* n : names) {
            if (std::filesystem::exists(dir / n)) {
                throw std::runtime_error((dir / n).string() +
                                         " exists (use --force to replace it)");
            }
        }
    }
    const auto now = std::chrono::system_clock::now();
    const auto until = now + std::chrono::hours(24) * options.days;

    auto ca_key = generate_key();
    CertSpec ca_spec;
    ca_spec.common_name = "mcpproxy local CA";
    ca_spec.is_ca = true;
    ca_spec.not_after = until;
    auto ca = issue_certificate(ca_spec, ca_key.get(), nullptr, nullptr);

    auto server_key = generate_key();
    CertSpec server_spec;
    server_spec.common_name = options.server_name;
    server_spec.dns = {options.server_name};
    server_spec.ips = {"127.0.0.1", "::1"};
    server_spec.server_auth = true;
    server_spec.not_after = until;
    auto server = issue_certificate(server_spec, server_key.get(), ca.get(), ca_key.get());

    auto client_key = generate_key();
    CertSpec client_spec;
    client_spec.common_name = options.client_name;
    client_spec.client_auth = true;
    client_spec.not_after = until;
    auto client = issue_certificate(client_spec, client_key.get(), ca.get(), ca_key.get());

    using auth_common::write_file_atomically;
    write_file_atomically(dir / "ca.pem", certificate_pem(ca.get()), 0644);
    write_file_atomically(dir / "ca-key.pem", private_key_pem(ca_key.get()), 0600);
    write_file_atomically(dir / "server.pem", certificate_pem(server.get()), 0644);
    write_file_atomically(dir / "server-key.pem", private_key_pem(server_key.get()), 0600);
    write_file_atomically(dir / "client.pem", certificate_pem(client.get()), 0644);
    write_file_atomically(dir / "client-key.pem", private_key_pem(client_key.get()), 0600);

    const auto abs = std::filesystem::absolute(dir).string();
    out << "Created in " << abs << " (valid " << options.days << " days; keys are mode 0600):\n"
        << "  ca.pem, ca-key.pem            local CA (keep ca-key.pem private)\n"
        << "  server.pem, server-key.pem    server certificate for " << options.server_name
        << ", 127.0.0.1, ::1\n"
        << "  client.pem, client-key.pem    client certificate CN=" << options.client_name
        << " (SHA-256 " << der_fingerprint(client.get()) << ")\n\n"
        << "Config:\n"
        << "  \"tls\": {\"cert\": \"" << abs << "/server.pem\", \"key\": \"" << abs
        << "/server-key.pem\", \"client_ca\": \"" << abs
        << "/ca.pem\", \"require_client_cert\": true},\n"
        << "  \"plugins\": [{\"name\": \"auth-mtls\", \"config\": {\"rules\": [{\"name\": \""
        << options.client_name << "\", \"subject_cn\": \"" << options.client_name
        << "\", \"servers\": \"*\", \"permissions\": \"read,write\"}]}}]\n";
}

sdk::CommandSpec cert_init_command() {
    sdk::CommandSpec spec;
    spec.path = "cert init";
    spec.help = "Create a local CA, a server certificate and a client certificate for trying mTLS";
    spec.options = {
        {"--out", "Directory for the files (created mode 0700)", false, true, ""},
        {"--server-name", "DNS name in the server certificate", false, false, "localhost"},
        {"--client-name", "Common name of the client certificate", false, false, "mcpproxy-client"},
        {"--days", "Validity in days", false, false, "365"},
        {"--force", "Replace existing files", true, false, ""},
    };
    spec.run = [](const sdk::CommandContext& ctx) {
        CertInitOptions o;
        o.out = ctx.option("out").value_or("");
        o.server_name = ctx.option("server-name").value_or("localhost");
        o.client_name = ctx.option("client-name").value_or("mcpproxy-client");
        o.force = ctx.flag("force");
        try {
            o.days = std::stoi(ctx.option("days").value_or("365"));
            cert_init(o, ctx.out());
        } catch (const std::exception& e) {
            ctx.err() << "cert init: " << e.what() << "\n";
            return 1;
        }
        return 0;
    };
    return spec;
}

}  // namespace mcpproxy::mtls
