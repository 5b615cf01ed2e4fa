#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kernel/net/http_types.hpp"
#include "mcpproxy/sdk/request_view.hpp"

namespace mcpproxy::net {

struct ConnectionInfo {
    std::string peer_address;
    std::uint16_t peer_port = 0;
    std::string listener_name;
    bool tls = false;
    std::string peer_certificate_der;
};

// One request and the means to answer it: either one whole response, or a chunked stream
// (server-sent events). Writes must not overlap; the owner serialises them.
class HttpExchange {
public:
    HttpExchange(Request request, const ConnectionInfo& connection, std::string request_id);
    virtual ~HttpExchange() = default;
    HttpExchange(const HttpExchange&) = delete;
    HttpExchange& operator=(const HttpExchange&) = delete;

    [[nodiscard]] const Request& request() const { return request_; }
    [[nodiscard]] const ConnectionInfo& connection() const { return connection_; }
    [[nodiscard]] const std::string& request_id() const { return request_id_; }
    [[nodiscard]] std::string_view path() const;   // target without the query
    [[nodiscard]] std::string_view query() const;  // after '?', empty when none
    [[nodiscard]] bool responded() const { return responded_; }
    [[nodiscard]] std::uint64_t bytes_out() const { return bytes_out_; }

    // X-Request-Id is added to every response.
    virtual Awaitable<void> respond(Response response) = 0;
    // Starts a chunked response; false when the client has gone.
    virtual Awaitable<bool> begin_stream(StreamHeader header) = 0;
    virtual Awaitable<bool> write_chunk(std::string_view data) = 0;
    virtual Awaitable<void> end_stream() = 0;

protected:
    Request request_;
    const ConnectionInfo& connection_;
    std::string request_id_;
    bool responded_ = false;
    std::uint64_t bytes_out_ = 0;
};

// The SDK's read-only request view over an exchange, for auth bridges.
class ExchangeRequestView final : public sdk::RequestView {
public:
    explicit ExchangeRequestView(const HttpExchange& exchange) : exchange_(exchange) {}
    [[nodiscard]] std::string_view method() const override;
    [[nodiscard]] std::string_view path() const override { return exchange_.path(); }
    [[nodiscard]] std::string_view query() const override { return exchange_.query(); }
    [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const override;
    [[nodiscard]] std::string_view peer_address() const override;
    [[nodiscard]] std::string_view listener_name() const override;
    [[nodiscard]] bool is_tls() const override { return exchange_.connection().tls; }
    [[nodiscard]] std::string_view peer_certificate_der() const override;

private:
    const HttpExchange& exchange_;
};

}  // namespace mcpproxy::net
