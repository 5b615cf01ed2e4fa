#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <mutex>
#include <string>

#include "kernel/config/config.hpp"

namespace mcpproxy::net {

// Builds a server TLS context from the configured files: TLS 1.2 or later, forward-secret AEAD
// cipher suites only, no compression or renegotiation; client certificates checked against
// client_ca (and the CRL) when configured. Throws std::runtime_error naming the file and the
// problem (never the key's contents).
std::shared_ptr<boost::asio::ssl::context> make_server_tls_context(const config::TlsConfig& tls);

// The context new connections of a listener use. Swapped whole on reload: connections that
// started with the old context keep it (each holds a reference) until they close.
class TlsContextSource {
public:
    explicit TlsContextSource(std::shared_ptr<boost::asio::ssl::context> initial)
        : current_(std::move(initial)) {}

    [[nodiscard]] std::shared_ptr<boost::asio::ssl::context> current() const {
        std::lock_guard lock(mutex_);
        return current_;
    }
    void replace(std::shared_ptr<boost::asio::ssl::context> next) {
        std::lock_guard lock(mutex_);
        current_ = std::move(next);
    }

private:
    mutable std::mutex mutex_;
    std::shared_ptr<boost::asio::ssl::context> current_;
};

}  // namespace mcpproxy::net
