#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "mcpproxy/sdk/visibility.hpp"

namespace mcpproxy::sdk {

// A request to a route a plugin contributed. Valid only during the handler call.
class MCPPROXY_SDK_VISIBLE RouteRequest {
public:
    virtual ~RouteRequest() = default;
    [[nodiscard]] virtual std::string_view method() const = 0;
    [[nodiscard]] virtual std::string_view path() const = 0;  // full path, e.g. /api/v1/tokens/ci
    [[nodiscard]] virtual std::optional<std::string_view> query_param(
        std::string_view name) const = 0;
    [[nodiscard]] virtual std::optional<std::string_view> header(std::string_view name) const = 0;
    [[nodiscard]] virtual std::string_view body() const = 0;
};

struct RouteResponse {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::map<std::string, std::string> headers;
};

enum class RouteSurface {
    management,  // under /api/v1/ on the management listener, behind the admin key
    well_known,  // under /.well-known/ on every /mcp listener (the tunneled one too), no auth
};

// A route a plugin adds, e.g. {management, "tokens"} serves /api/v1/tokens and everything below
// it. The handler runs on a host thread, may block briefly (milliseconds), must be thread-safe
// and must never put a secret it was not asked to return into the response.
struct RouteSpec {
    RouteSurface surface = RouteSurface::management;
    std::string prefix;  // path below the surface's root, without a leading '/'
    std::function<RouteResponse(const RouteRequest&)> handler;
};

}  // namespace mcpproxy::sdk
