#include "token_routes.hpp"

#include <openssl/crypto.h>

#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "display_text.hpp"
#include "duration_parse.hpp"
#include "permission_parse.hpp"
#include "server_list_parse.hpp"
#include "token_output.hpp"
#include "token_service.hpp"

namespace mcpproxy::agent_token {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr const char* kSecretWarning =
    "This is the only time the token is shown: store it now (for example in your secret manager). "
    "It cannot be recovered, only regenerated.";

struct HttpError : std::runtime_error {
    HttpError(int http_status, const char* error_code, const std::string& message)
        : std::runtime_error(message), status(http_status), code(error_code) {}
    int status;
    const char* code;
};

[[noreturn]] void bad_request(const std::string& message) {
    throw HttpError(400, "bad_request", message);
}

sdk::RouteResponse reply(int status, const OrderedJson& body) {
    sdk::RouteResponse res;
    res.status = status;
    res.body = body.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
    return res;
}

sdk::RouteResponse error_reply(int status, std::string_view code, std::string_view message) {
    OrderedJson body;
    body["error"] = code;
    body["message"] = message;
    return reply(status, body);
}

// The path segments after ".../tokens": {} for the collection, {NAME} or {NAME, ACTION}.
std::vector<std::string> segments_after_mount(std::string_view path) {
    std::vector<std::string> all;
    while (!path.empty()) {
        const auto slash = path.find('/');
        const auto part = path.substr(0, slash);
        if (!part.empty()) all.emplace_back(part);
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (all[i] == "tokens")
            return {all.begin() + static_cast<std::ptrdiff_t>(i) + 1, all.end()};
    }
    return all;
}

Json parse_body(std::string_view body, std::initializer_list<std::string_view> allowed) {
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return Json::object();
    Json j = Json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) bad_request("the request body must be a JSON object");
    for (const auto& [key, value] : j.items()) {
        bool known = false;
        for (auto a : allowed) known = known || key == a;
        if (!known) bad_request("unknown field '" + display_text(key) + "'");
    }
    return j;
}

// A field given as "a,b" or ["a", "b"]; nullopt when absent or null.
std::optional<std::string> csv_field(const Json& body, const char* key) {
    const auto it = body.find(key);
    if (it == body.end() || it->is_null()) return std::nullopt;
    if (it->is_string()) return it->get<std::string>();
    if (!it->is_array() || it->empty()) {
        bad_request(std::string(key) +
                    ": expected a non-empty list of strings or a comma-separated string");
    }
    std::string csv;
    for (const auto& item : *it) {
        if (!item.is_string() ||
            item.get_ref<const std::string&>().find(',') != std::string::npos) {
            bad_request(std::string(key) +
                        ": every item must be a single name (a string without ',')");
        }
        csv += (csv.empty() ? "" : ",") + item.get<std::string>();
    }
    return csv;
}

std::optional<std::string> string_field(const Json& body, const char* key) {
    const auto it = body.find(key);
    if (it == body.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) bad_request(std::string(key) + ": expected a string");
    return it->get<std::string>();
}

template <class Int>
std::optional<Int> integer_field(const Json& limits, const char* key, Int lo, Int hi) {
    const auto it = limits.find(key);
    if (it == limits.end() || it->is_null()) return std::nullopt;
    if (!it->is_number_integer() || it->get<std::int64_t>() < static_cast<std::int64_t>(lo) ||
        it->get<std::int64_t>() > static_cast<std::int64_t>(hi)) {
        bad_request("limits." + std::string(key) + ": expected a whole number from " +
                    std::to_string(lo) + " to " + std::to_string(hi));
    }
    return static_cast<Int>(it->get<std::int64_t>());
}

sdk::Limits parse_limits(const Json& body) {
    sdk::Limits limits;
    const auto it = body.find("limits");
    if (it == body.end() || it->is_null()) return limits;
    if (!it->is_object()) bad_request("limits: expected an object");
    for (const auto& [key, value] : it->items()) {
        if (key != "requests_per_second" && key != "burst" && key != "max_concurrent") {
            bad_request("unknown field 'limits." + display_text(key) + "'");
        }
    }
    if (const auto rps = it->find("requests_per_second"); rps != it->end() && !rps->is_null()) {
        if (!rps->is_number() || !std::isfinite(rps->get<double>()) || rps->get<double>() <= 0 ||
            rps->get<double>() > 1e6) {
            bad_request(
                "limits.requests_per_second: expected a number above 0 and at most 1000000");
        }
        limits.requests_per_second = rps->get<double>();
    }
    limits.burst = integer_field<std::uint32_t>(*it, "burst", 1, 1'000'000);
    limits.max_concurrent = integer_field<std::uint32_t>(*it, "max_concurrent", 1, 100'000);
    return limits;
}

// The token's public fields and, once, its secret; the local copy of the secret is wiped.
OrderedJson issued_json(IssuedToken& issued, Seconds now) {
    OrderedJson j;
    j["name"] = issued.record.name;
    j["token"] = issued.secret;
    j.update(token_json(issued.record, now));
    j["warning"] = kSecretWarning;
    OPENSSL_cleanse(issued.secret.data(), issued.secret.size());
    return j;
}

sdk::RouteResponse create(const sdk::RouteRequest& req, TokenService& service,
                          const CommandEnvironment& env) {
    const Json body =
        parse_body(req.body(), {"name", "servers", "permissions", "expires", "limits"});
    CreateOptions options;
    const auto name = string_field(body, "name");
    if (!name || name->empty()) bad_request("name is required");
    options.name = *name;
    options.allowed_servers = parse_server_list(csv_field(body, "servers").value_or("*"));
    options.permission = parse_permissions(csv_field(body, "permissions").value_or("read"));
    const auto expires = string_field(body, "expires");
    options.lifetime =
        expires && !expires->empty() ? parse_lifetime(*expires) : env.default_lifetime;
    options.limits = parse_limits(body);
    auto issued = service.create(options);
    auto res = reply(201, issued_json(issued, service.now()));
    res.headers["Location"] = "/api/v1/tokens/" + issued.record.name;
    return res;
}

sdk::RouteResponse list(TokenService& service) {
    auto all = OrderedJson::array();
    const auto now = service.now();
    for (const auto& r : service.list()) all.push_back(token_json(r, now));
    return reply(200, all);
}

sdk::RouteResponse revoke(const std::string& name, TokenService& service) {
    const bool changed = service.revoke(name);
    auto j = token_json(service.show(name), service.now());
    j["already_revoked"] = !changed;
    return reply(200, j);
}

sdk::RouteResponse regenerate(const sdk::RouteRequest& req, const std::string& name,
                              TokenService& service) {
    const Json body = parse_body(req.body(), {"grace", "expires"});
    const auto grace = parse_grace(string_field(body, "grace").value_or("0s"));
    std::optional<std::chrono::seconds> lifetime;
    if (const auto expires = string_field(body, "expires"); expires && !expires->empty()) {
        lifetime = parse_lifetime(*expires);
    }
    auto issued = service.regenerate(name, grace, lifetime);
    return reply(200, issued_json(issued, service.now()));
}

sdk::RouteResponse remove(const std::string& name, TokenService& service) {
    service.remove(name);
    OrderedJson j;
    j["name"] = name;
    j["deleted"] = true;
    return reply(200, j);
}

sdk::RouteResponse method_not_allowed(const char* allow) {
    auto res = error_reply(405, "method_not_allowed", std::string("use ") + allow);
    res.headers["Allow"] = allow;
    return res;
}

sdk::RouteResponse dispatch(const sdk::RouteRequest& req, const CommandEnvironment& env) {
    const auto parts = segments_after_mount(req.path());
    const auto method = req.method();
    if (parts.size() > 2) throw HttpError(404, "not_found", "no such token route");
    if (parts.size() == 2 && parts[1] != "revoke" && parts[1] != "regenerate") {
        throw HttpError(404, "not_found", "no such token route");
    }
    const char* allow = parts.empty() ? "GET, POST" : parts.size() == 1 ? "GET, DELETE" : "POST";
    const bool allowed = parts.empty()       ? method == "GET" || method == "POST"
                         : parts.size() == 1 ? method == "GET" || method == "DELETE"
                                             : method == "POST";
    if (!allowed) return method_not_allowed(allow);

    TokenService service(env.data_dir(), env.clock, env.busy_timeout);
    if (parts.empty()) return method == "GET" ? list(service) : create(req, service, env);
    const std::string& name = parts[0];
    if (parts.size() == 1) {
        if (method == "GET") return reply(200, token_json(service.show(name), service.now()));
        return remove(name, service);
    }
    if (parts[1] == "revoke") return revoke(name, service);
    return regenerate(req, name, service);
}

}  // namespace

sdk::RouteResponse handle_token_request(const sdk::RouteRequest& request,
                                        const CommandEnvironment& env) {
    try {
        return dispatch(request, env);
    } catch (const HttpError& e) {
        return error_reply(e.status, e.code, e.what());
    } catch (const TokenNotFound& e) {
        return error_reply(404, "not_found", e.what());
    } catch (const DuplicateTokenName& e) {
        return error_reply(409, "conflict", e.what());
    } catch (const TokenStateConflict& e) {
        return error_reply(409, "conflict", e.what());
    } catch (const std::invalid_argument& e) {
        return error_reply(400, "bad_request", e.what());
    } catch (const std::exception& e) {
        return error_reply(500, "store_error", std::string("the token store failed: ") + e.what());
    }
}

sdk::RouteSpec token_route(CommandEnvironment env, std::function<void()> after_change) {
    auto shared = std::make_shared<const CommandEnvironment>(std::move(env));
    sdk::RouteSpec spec;
    spec.surface = sdk::RouteSurface::management;
    spec.prefix = "tokens";
    spec.handler = [shared,
                    after_change = std::move(after_change)](const sdk::RouteRequest& request) {
        auto response = handle_token_request(request, *shared);
        const bool changed = request.method() != "GET" && response.status < 300;
        if (changed && after_change) after_change();
        return response;
    };
    return spec;
}

}  // namespace mcpproxy::agent_token
