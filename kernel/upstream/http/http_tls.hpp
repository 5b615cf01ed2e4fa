#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>
#include <memory>
#include <string>

using SSL = struct ssl_st;

namespace mcpproxy::upstream::http {

// A client TLS context (TLS 1.2 or newer). With verify, the peer's chain is checked against the
// system's default trust store plus ca_file when given. Throws std::runtime_error naming the file
// when ca_file cannot be loaded.
std::shared_ptr<boost::asio::ssl::context> make_client_tls_context(bool verify,
                                                                   const std::string& ca_file);

// Per connection: SNI for host names, and (with verify) the host name or IP address the
// certificate must match.
void prepare_tls_connection(SSL* ssl, const std::string& host, bool verify);

// Why a TLS handshake failed, in words a user can act on ("certificate verify failed:
// self-signed certificate").
std::string describe_tls_failure(SSL* ssl, const boost::system::error_code& ec);

}  // namespace mcpproxy::upstream::http
