#pragma once

// A TLS client for the mTLS tests (Boost.Beast over OpenSSL): trusts the test CA, optionally
// presents a client certificate, and reports what the server certificate said.

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "tests/support/raw_http.hpp"

namespace mcpproxy::test::mtls {

struct ClientCredentials {
    std::string ca_file;    // trusted for the server certificate
    std::string cert_file;  // empty: no client certificate
    std::string key_file;
};

// One keep-alive TLS connection. Every failure (connect, handshake, a close by the server) is
// reported through error(); nothing throws.
class TlsConnection {
public:
    TlsConnection(unsigned short port, const ClientCredentials& credentials);
    ~TlsConnection();
    TlsConnection(const TlsConnection&) = delete;
    TlsConnection& operator=(const TlsConnection&) = delete;

    // Sends one request; nullopt when no response came (error() says why).
    std::optional<HttpResponse> request(boost::beast::http::verb method, const std::string& target,
                                        const std::map<std::string, std::string>& headers = {},
                                        const std::string& body = {});
    [[nodiscard]] bool handshake_done() const { return handshake_done_; }
    [[nodiscard]] const std::string& error() const { return error_; }
    [[nodiscard]] const std::string& server_cn() const { return server_cn_; }

private:
    template <class Op>
    boost::system::error_code run(Op op);

    unsigned short port_;
    boost::asio::io_context io_;
    boost::asio::ssl::context ctx_;
    std::unique_ptr<boost::beast::ssl_stream<boost::beast::tcp_stream>> stream_;
    boost::beast::flat_buffer buffer_;
    bool handshake_done_ = false;
    std::string error_;
    std::string server_cn_;
};

// A JSON-RPC initialize POST to /mcp on a fresh connection; nullopt when TLS or the connection
// failed.
std::optional<HttpResponse> post_initialize(unsigned short port,
                                            const ClientCredentials& credentials,
                                            std::string* error = nullptr,
                                            std::string* server_cn = nullptr);

}  // namespace mcpproxy::test::mtls
