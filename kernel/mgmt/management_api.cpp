#include "kernel/mgmt/management_api.hpp"

#include <nlohmann/json.hpp>

#include "kernel/activity/activity_json.hpp"
#include "kernel/activity/activity_query.hpp"
#include "kernel/mgmt/admin_key.hpp"
#include "kernel/mgmt/route_request.hpp"
#include "kernel/net/responses.hpp"
#include "kernel/policy/access_policy.hpp"
#include "kernel/tools/intent.hpp"
#include "kernel/util/host_port.hpp"

namespace mcpproxy::mgmt {
namespace http = net::http;
using Json = nlohmann::json;

namespace {

constexpr std::string_view kPrefix = "/api/v1/";

std::string_view header(const net::Request& req, std::string_view name) {
    const auto it = req.base().find(name);
    if (it == req.base().end()) return {};
    return {it->value().data(), it->value().size()};
}

std::string_view presented_key(const net::Request& req) {
    const auto auth = header(req, "Authorization");
    if (auth.size() > 7 && (auth.starts_with("Bearer ") || auth.starts_with("bearer "))) {
        return auth.substr(7);
    }
    return header(req, "X-API-Key");
}

net::Response json(const net::HttpExchange& ex, http::status status, const Json& body) {
    return net::json_response(status, ex.request(), body);
}

net::Response error(const net::HttpExchange& ex, http::status status, std::string_view code,
                    std::string_view message = {}) {
    Json body{{"error", code}, {"request_id", ex.request_id()}};
    if (!message.empty()) body["message"] = message;
    return json(ex, status, body);
}

Json status_json(const ManagementContext& c) {
    Json listeners = Json::array();
    for (const auto& l : c.listeners) {
        listeners.push_back({{"name", l.name}, {"address", l.address}, {"role", l.role}});
    }
    Json tunnels = Json::array();
    for (const auto& t : c.tunnels->entries()) {
        tunnels.push_back({{"plugin", t.plugin},
                           {"provider", t.provider},
                           {"state", tunnel::to_string(t.status.state)},
                           {"public_url", t.status.public_url},
                           {"detail", t.status.detail},
                           {"restarts", t.status.restarts}});
    }
    Json plugins = Json::array();
    auto& faults = c.plugins->faults();
    for (const auto& p : c.plugins->plugins()) {
        const std::string detail = faults.call(
            p.info.name, "health_detail()", [&] { return p.instance->health_detail(); },
            std::string("health check failed"));
        const auto failure = faults.failure(p.info.name);
        plugins.push_back({{"name", p.info.name},
                           {"kind", p.info.kind},
                           {"version", p.info.version},
                           {"started", p.started},
                           {"failed", p.failed || failure.has_value()},
                           {"error", p.failed ? p.last_error : failure.value_or("")},
                           {"health", detail}});
    }
    Json not_ready = Json::array();
    for (const auto& p : c.readiness->pending())
        not_ready.push_back({{"component", p.component}, {"detail", p.detail}});
    Json degraded = Json::array();
    for (const auto& d : c.readiness->degraded())
        degraded.push_back({{"component", d.component}, {"detail", d.detail}});
    return Json{{"version", c.version},
                {"uptime_seconds", std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::steady_clock::now() - c.started)
                                       .count()},
                {"ready", c.readiness->ready()},
                {"not_ready", not_ready},
                {"degraded", degraded},
                {"listeners", listeners},
                {"tunnels", tunnels},
                {"plugins", plugins},
                {"sessions", c.sessions->size()}};
}

Json servers_json(const ManagementContext& c) {
    Json out = Json::array();
    for (const auto& s : c.upstreams->status()) {
        out.push_back({{"name", s.name},
                       {"transport", s.transport},
                       {"state", upstream::to_string(s.state)},
                       {"quarantined", s.quarantined},
                       {"last_error", s.last_error},
                       {"restarts", s.restarts},
                       {"tools", s.tools}});
    }
    return out;
}

Json tool_json(const tools::ToolDescriptor& t) {
    return Json{{"server", t.server},
                {"name", t.name},
                {"title", t.title},
                {"description", t.description},
                {"annotations", t.annotations.is_null() ? Json::object() : t.annotations},
                {"permission", policy::to_string(tools::required_permission(t))}};
}

Json tools_json(const ManagementContext& c, const ExchangeRouteRequest& req) {
    const auto snap = c.upstreams->snapshot();
    Json out = Json::array();
    const auto q = req.query_param("q");
    if (q && !q->empty()) {
        std::size_t limit = 20;
        if (auto l = req.query_param("limit"))
            limit = std::clamp<std::size_t>(std::stoul(std::string(*l)), 1, 200);
        for (const auto& hit : snap->tools->search(*q, limit)) {
            Json t = tool_json(snap->tools->tools()[hit.tool_index]);
            t["score"] = hit.score;
            out.push_back(std::move(t));
        }
        return out;
    }
    for (const auto& t : snap->tools->tools()) out.push_back(tool_json(t));
    return out;
}

Json activity_json(const ManagementContext& c, const ExchangeRouteRequest& req) {
    activity::ActivityFilter f;
    if (auto v = req.query_param("agent")) f.identity = std::string(*v);
    if (auto v = req.query_param("server")) f.server = std::string(*v);
    if (auto v = req.query_param("method")) f.method = std::string(*v);
    if (auto v = req.query_param("decision")) f.decision = activity::parse_decision(*v);
    if (auto v = req.query_param("since")) f.since = activity::parse_since(*v);
    if (auto v = req.query_param("limit"))
        f.limit = std::clamp<std::size_t>(std::stoul(std::string(*v)), 1, 1000);
    Json out = Json::array();
    for (const auto& r : c.activity->query(f)) out.push_back(activity::to_json(r));
    return out;
}

net::Response server_action(const net::HttpExchange& ex, const ManagementContext& c,
                            std::string_view rest) {
    // rest: "<name>/<action>"
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) return error(ex, http::status::not_found, "not_found");
    const std::string name(rest.substr(0, slash));
    const auto action = rest.substr(slash + 1);
    bool found = false;
    if (action == "restart")
        found = c.upstreams->restart(name);
    else if (action == "approve")
        found = c.upstreams->approve(name);
    else if (action == "enable")
        found = c.upstreams->set_enabled(name, true);
    else if (action == "disable")
        found = c.upstreams->set_enabled(name, false);
    else
        return error(ex, http::status::not_found, "not_found");
    if (!found) return error(ex, http::status::not_found, "unknown_server");
    return json(ex, http::status::ok, Json{{"server", name}, {"action", action}, {"ok", true}});
}

net::Response plugin_route(const net::HttpExchange& ex, const ManagementContext& c,
                           std::string_view rest) {
    for (const auto& route : c.plugin_routes) {
        const std::string_view prefix = route.prefix;
        if (rest == prefix || (rest.starts_with(prefix) && rest.size() > prefix.size() &&
                               rest[prefix.size()] == '/')) {
            const ExchangeRouteRequest req(ex);
            sdk::RouteResponse out = route.handler(req);  // guarded by the PluginHost
            auto res = net::text_response(static_cast<http::status>(out.status), ex.request(),
                                          std::move(out.body), out.content_type);
            for (const auto& [k, v] : out.headers) res.set(k, v);
            return res;
        }
    }
    return error(ex, http::status::not_found, "not_found");
}

net::Response route(const net::HttpExchange& ex, const ManagementContext& c) {
    const std::string_view rest = ex.path().substr(kPrefix.size());
    const auto verb = ex.request().method();
    const ExchangeRouteRequest req(ex);
    try {
        if (rest == "status" && verb == http::verb::get)
            return json(ex, http::status::ok, status_json(c));
        if (rest == "servers" && verb == http::verb::get)
            return json(ex, http::status::ok, servers_json(c));
        if (rest.starts_with("servers/") && verb == http::verb::post) {
            return server_action(ex, c, rest.substr(8));
        }
        if (rest == "tools" && verb == http::verb::get)
            return json(ex, http::status::ok, tools_json(c, req));
        if (rest == "activity" && verb == http::verb::get)
            return json(ex, http::status::ok, activity_json(c, req));
    } catch (const std::invalid_argument& e) {
        return error(ex, http::status::bad_request, "bad_request", e.what());
    } catch (const std::out_of_range& e) {
        return error(ex, http::status::bad_request, "bad_request", "a number is out of range");
    }
    return plugin_route(ex, c, rest);
}

bool origin_is_local(std::string_view origin) {
    if (origin.empty()) return true;
    const auto scheme_end = origin.find("://");
    if (scheme_end == std::string_view::npos) return false;
    auto host = origin.substr(scheme_end + 3);
    if (host.starts_with('['))
        host = host.substr(1, host.find(']') - 1);
    else
        host = host.substr(0, host.find(':'));
    return util::is_loopback_host(host);
}

}  // namespace

net::Handler management_api_handler(std::shared_ptr<ManagementContext> context) {
    return [context](net::HttpExchange& ex) -> net::Awaitable<void> {
        // Browsers on other sites must not drive the admin API, even with a stolen key.
        if (!origin_is_local(header(ex.request(), "Origin"))) {
            co_await ex.respond(error(ex, http::status::forbidden, "forbidden"));
            co_return;
        }
        if (!admin_key_matches(context->admin_key, presented_key(ex.request()))) {
            auto res = error(ex, http::status::unauthorized, "unauthorized");
            res.set(http::field::www_authenticate, "Bearer");
            co_await ex.respond(std::move(res));
            co_return;
        }
        co_await ex.respond(route(ex, *context));
    };
}

}  // namespace mcpproxy::mgmt
