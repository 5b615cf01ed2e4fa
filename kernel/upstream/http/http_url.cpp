#include "kernel/upstream/http/http_url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <stdexcept>

namespace mcpproxy::upstream::http {

UpstreamUrl parse_upstream_url(std::string_view text) {
    if (text.empty()) throw std::invalid_argument("the upstream url is empty");
    auto parsed = boost::urls::parse_uri(text);
    if (!parsed) {
        throw std::invalid_argument("the upstream url is not a valid absolute URL (" +
                                    parsed.error().message() + ")");
    }
    const boost::urls::url_view& u = *parsed;
    UpstreamUrl out;
    switch (u.scheme_id()) {
        case boost::urls::scheme::http:
            out.tls = false;
            break;
        case boost::urls::scheme::https:
            out.tls = true;
            break;
        default:
            throw std::invalid_argument(
                "the upstream url must start with http:// or https://, not " +
                std::string(u.scheme()) + "://");
    }
    if (!u.has_authority() || u.encoded_host().empty()) {
        throw std::invalid_argument("the upstream url has no host");
    }
    if (u.has_userinfo()) {
        throw std::invalid_argument(
            "the upstream url carries credentials (user:password@); put them in \"headers\" "
            "instead");
    }
    out.host = u.host_address();
    if (out.host.empty()) throw std::invalid_argument("the upstream url has no host");
    const std::string default_port = out.tls ? "443" : "80";
    if (u.has_port()) {
        if (u.port().empty()) {
            out.port = default_port;
        } else if (u.port_number() == 0) {
            throw std::invalid_argument("the upstream url has an invalid port " +
                                        std::string(u.port()));
        } else {
            out.port = std::to_string(u.port_number());
        }
    } else {
        out.port = default_port;
    }
    const std::string bracketed =
        u.host_type() == boost::urls::host_type::ipv6 ? "[" + out.host + "]" : out.host;
    out.host_header = out.port == default_port ? bracketed : bracketed + ":" + out.port;
    out.target = u.encoded_path().empty() ? "/" : std::string(u.encoded_path());
    if (out.target.front() != '/') out.target.insert(out.target.begin(), '/');
    if (u.has_query()) {
        out.target += '?';
        out.target += u.encoded_query();
    }
    out.display = std::string(out.tls ? "https://" : "http://") + out.host_header +
                  std::string(u.encoded_path().empty() ? "/" : u.encoded_path());
    return out;
}

}  // namespace mcpproxy::upstream::http
