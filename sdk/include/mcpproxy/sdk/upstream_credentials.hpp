#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mcpproxy/sdk/visibility.hpp"

namespace mcpproxy::sdk {

struct HeaderField {
    std::string name;
    std::string value;
};

// What the kernel does after an upstream server answered 401.
enum class UnauthorizedVerdict {
    not_mine,      // this plugin does not handle that server: the 401 stands
    retry,         // newer credentials exist than the request carried: retry once with headers_for
    login_needed,  // a person must log in; the call fails with `detail` (say which command to run)
};

struct UnauthorizedAnswer {
    UnauthorizedVerdict verdict = UnauthorizedVerdict::not_mine;
    std::string detail;
};

// Supplies credentials for the requests the kernel sends to HTTP upstream servers (e.g. OAuth
// access tokens). Both calls come from the kernel's I/O threads for every request: answer from
// memory and never block; do network work (discovery, refresh) on the plugin's own threads.
// The client's own credential never reaches an upstream: only these headers are added.
class MCPPROXY_SDK_VISIBLE UpstreamCredentials {
public:
    virtual ~UpstreamCredentials() = default;
    // Headers for the next request to `server` (its mcpServers name) at `url`; empty: none.
    [[nodiscard]] virtual std::vector<HeaderField> headers_for(std::string_view server,
                                                               std::string_view url) = 0;
    // `server` answered 401; `www_authenticate` is that header's value (empty when absent).
    virtual UnauthorizedAnswer on_unauthorized(std::string_view server, std::string_view url,
                                               std::string_view www_authenticate) = 0;
};

}  // namespace mcpproxy::sdk
