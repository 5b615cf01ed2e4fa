#include "kernel/upstream/http/http_tls.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <stdexcept>

namespace mcpproxy::upstream::http {
namespace ssl = boost::asio::ssl;

std::shared_ptr<ssl::context> make_client_tls_context(bool verify, const std::string& ca_file) {
    auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
    if (!verify) {
        context->set_verify_mode(ssl::verify_none);
        return context;
    }
    context->set_verify_mode(ssl::verify_peer);
    boost::system::error_code ec;
    context->set_default_verify_paths(ec);  // a missing system store is not fatal with ca_file
    if (!ca_file.empty()) {
        context->load_verify_file(ca_file, ec);
        if (ec) {
            throw std::runtime_error("cannot load ca_file " + ca_file + ": " + ec.message());
        }
    }
    return context;
}

void prepare_tls_connection(SSL* ssl, const std::string& host, bool verify) {
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(host, ec);
    const bool is_ip = !ec;
    if (!is_ip) {
        // SSL_set_tlsext_host_name() is a macro with a C cast; this is what it expands to.
        SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(host.c_str()));
    }
    if (!verify) return;
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    if (is_ip) {
        X509_VERIFY_PARAM_set1_ip_asc(param, address.to_string().c_str());
    } else {
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
    }
}

std::string describe_tls_failure(SSL* ssl, const boost::system::error_code& ec) {
    const long verify = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
    if (verify != X509_V_OK) {
        return std::string("certificate verify failed: ") + X509_verify_cert_error_string(verify);
    }
    return ec.message();
}

}  // namespace mcpproxy::upstream::http
