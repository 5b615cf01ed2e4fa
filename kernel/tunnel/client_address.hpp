#pragma once

#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace mcpproxy::tunnel {

// Who the client really is. Forwarding headers (Cf-Connecting-IP, X-Forwarded-For) are believed
// only when the TCP peer is one of the trusted proxies (the local tunnel daemon); then the first
// untrusted hop, read from the right of X-Forwarded-For, is the client. Anyone else's headers
// are ignored, so a client cannot spoof its address.
class ClientAddressResolver {
public:
    // Entries are addresses ("127.0.0.1") or networks ("10.0.0.0/8", "::1/128"). Throws
    // std::invalid_argument naming a malformed entry.
    explicit ClientAddressResolver(const std::vector<std::string>& trusted_proxies);

    [[nodiscard]] std::string resolve(std::string_view peer, std::string_view cf_connecting_ip,
                                      std::string_view x_forwarded_for) const;
    [[nodiscard]] bool trusted(std::string_view address) const;

private:
    std::vector<boost::asio::ip::network_v4> v4_;
    std::vector<boost::asio::ip::network_v6> v6_;
};

}  // namespace mcpproxy::tunnel
