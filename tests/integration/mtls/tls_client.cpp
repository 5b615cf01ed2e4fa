#include "tests/integration/mtls/tls_client.hpp"

#include <openssl/x509.h>

#include <nlohmann/json.hpp>

namespace mcpproxy::test::mtls {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {
constexpr auto kTimeout = std::chrono::seconds(10);
}

template <class Op>
boost::system::error_code TlsConnection::run(Op op) {
    boost::system::error_code result = asio::error::timed_out;
    bool done = false;
    stream_->next_layer().expires_after(kTimeout);
    op([&](boost::system::error_code ec, auto&&...) {
        result = ec;
        done = true;
    });
    io_.restart();
    io_.run();
    if (!done) result = asio::error::timed_out;
    return result;
}

TlsConnection::TlsConnection(unsigned short port, const ClientCredentials& credentials)
    : port_(port), ctx_(asio::ssl::context::tls_client) {
    ctx_.set_verify_mode(asio::ssl::verify_peer);
    ctx_.load_verify_file(credentials.ca_file);
    if (!credentials.cert_file.empty()) {
        ctx_.use_certificate_chain_file(credentials.cert_file);
        ctx_.use_private_key_file(credentials.key_file, asio::ssl::context::pem);
    }
    stream_ = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(io_, ctx_);
    SSL_set_tlsext_host_name(stream_->native_handle(), const_cast<char*>("localhost"));
    SSL_set1_host(stream_->native_handle(), "localhost");
    const asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port_);
    auto ec = run([&](auto handler) { stream_->next_layer().async_connect(endpoint, handler); });
    if (ec) {
        error_ = "connect to port " + std::to_string(port_) + ": " + ec.message();
        return;
    }
    ec = run(
        [&](auto handler) { stream_->async_handshake(asio::ssl::stream_base::client, handler); });
    if (ec) {
        error_ = "handshake: " + ec.message();
        return;
    }
    handshake_done_ = true;
    if (X509* peer = SSL_get0_peer_certificate(stream_->native_handle())) {
        char cn[256] = {};
        X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, cn, sizeof cn);
        server_cn_ = cn;
    }
}

TlsConnection::~TlsConnection() {
    if (stream_) {
        beast::error_code ignored;
        stream_->next_layer().socket().close(ignored);
    }
}

std::optional<HttpResponse> TlsConnection::request(
    http::verb method, const std::string& target, const std::map<std::string, std::string>& headers,
    const std::string& body) {
    if (!handshake_done_) return std::nullopt;
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    req.keep_alive(true);
    auto ec = run([&](auto handler) { http::async_write(*stream_, req, handler); });
    if (ec) {
        error_ = "write: " + ec.message();
        return std::nullopt;
    }
    HttpResponse res;
    ec = run([&](auto handler) { http::async_read(*stream_, buffer_, res, handler); });
    if (ec) {
        error_ = "read: " + ec.message();
        return std::nullopt;
    }
    return res;
}

std::optional<HttpResponse> post_initialize(unsigned short port,
                                            const ClientCredentials& credentials,
                                            std::string* error, std::string* server_cn) {
    TlsConnection c(port, credentials);
    const nlohmann::json init{{"jsonrpc", "2.0"},
                              {"id", 1},
                              {"method", "initialize"},
                              {"params",
                               {{"protocolVersion", "2025-06-18"},
                                {"capabilities", nlohmann::json::object()},
                                {"clientInfo", {{"name", "mtls-test"}, {"version", "1"}}}}}};
    auto r = c.request(
        http::verb::post, "/mcp",
        {{"Content-Type", "application/json"}, {"Accept", "application/json, text/event-stream"}},
        init.dump());
    if (error != nullptr) *error = c.error();
    if (server_cn != nullptr) *server_cn = c.server_cn();
    return r;
}

}  // namespace mcpproxy::test::mtls
