#pragma once

#include <optional>
#include <string_view>

#include "mcpproxy/sdk/visibility.hpp"

namespace mcpproxy::sdk {

// A read-only view of one inbound HTTP request, valid only during the call it is passed to.
class MCPPROXY_SDK_VISIBLE RequestView {
public:
    virtual ~RequestView() = default;
    [[nodiscard]] virtual std::string_view method() const = 0;
    [[nodiscard]] virtual std::string_view path() const = 0;   // without the query string
    [[nodiscard]] virtual std::string_view query() const = 0;  // raw, without '?'
    // Case-insensitive lookup; the first value when the header repeats.
    [[nodiscard]] virtual std::optional<std::string_view> header(std::string_view name) const = 0;
    [[nodiscard]] virtual std::string_view peer_address() const = 0;  // IP of the TCP peer
    [[nodiscard]] virtual std::string_view listener_name() const = 0;
    [[nodiscard]] virtual bool is_tls() const = 0;
    // DER of the verified client certificate, empty when there is none.
    [[nodiscard]] virtual std::string_view peer_certificate_der() const = 0;
};

}  // namespace mcpproxy::sdk
