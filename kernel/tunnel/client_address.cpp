#include "kernel/tunnel/client_address.hpp"

#include <boost/asio/ip/address.hpp>
#include <stdexcept>

namespace mcpproxy::tunnel {
namespace ip = boost::asio::ip;
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool valid_ip(std::string_view s) {
    boost::system::error_code ec;
    ip::make_address(std::string(s), ec);
    return !ec;
}

}  // namespace

ClientAddressResolver::ClientAddressResolver(const std::vector<std::string>& trusted_proxies) {
    for (const auto& entry : trusted_proxies) {
        boost::system::error_code ec;
        std::string text = entry;
        if (text.find('/') == std::string::npos) {
            const auto addr = ip::make_address(text, ec);
            if (ec) throw std::invalid_argument("not an IP address or network: \"" + entry + "\"");
            text += addr.is_v4() ? "/32" : "/128";
        }
        if (text.find(':') == std::string::npos) {
            const auto net = ip::make_network_v4(text, ec);
            if (ec) throw std::invalid_argument("not an IP address or network: \"" + entry + "\"");
            v4_.push_back(net);
        } else {
            const auto net = ip::make_network_v6(text, ec);
            if (ec) throw std::invalid_argument("not an IP address or network: \"" + entry + "\"");
            v6_.push_back(net);
        }
    }
}

bool ClientAddressResolver::trusted(std::string_view address) const {
    boost::system::error_code ec;
    auto addr = ip::make_address(std::string(address), ec);
    if (ec) return false;
    if (addr.is_v6() && addr.to_v6().is_v4_mapped()) {
        addr = ip::make_address_v4(ip::v4_mapped, addr.to_v6());
    }
    if (addr.is_v4()) {
        for (const auto& n : v4_) {
            const auto host = ip::network_v4(addr.to_v4(), 32);
            if (host.is_subnet_of(n) || n.address() == addr.to_v4()) return true;
        }
        return false;
    }
    for (const auto& n : v6_) {
        const auto host = ip::network_v6(addr.to_v6(), 128);
        if (host.is_subnet_of(n) || n.address() == addr.to_v6()) return true;
    }
    return false;
}

std::string ClientAddressResolver::resolve(std::string_view peer, std::string_view cf_connecting_ip,
                                           std::string_view x_forwarded_for) const {
    if (!trusted(peer)) return std::string(peer);
    const auto cf = trim(cf_connecting_ip);
    if (!cf.empty() && valid_ip(cf)) return std::string(cf);
    // Walk X-Forwarded-For from the right: each trusted hop vouches for the one before it.
    std::string_view rest = x_forwarded_for;
    while (!rest.empty()) {
        const auto comma = rest.rfind(',');
        const auto hop = trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
        if (hop.empty()) continue;
        if (!valid_ip(hop)) break;  // garbage: stop believing the header here
        if (!trusted(hop)) return std::string(hop);
    }
    return std::string(peer);
}

}  // namespace mcpproxy::tunnel
