#include "kernel/mcp/dispatcher.hpp"

#include <set>

#include "kernel/policy/access_policy.hpp"
#include "kernel/protocol/jsonrpc.hpp"
#include "kernel/tools/intent.hpp"
#include "kernel/tools/meta_tools.hpp"
#include "kernel/tools/tool_names.hpp"
#include "kernel/upstream/upstream_error.hpp"

namespace mcpproxy::mcp {
namespace asio = boost::asio;
namespace ec = protocol::error_code;
using protocol::make_error;
using protocol::make_result;

namespace {

constexpr std::string_view kSeparator = "__";

// "server__name" -> {"server", "name"}; empty server when the name has no separator.
std::pair<std::string, std::string> split_prefixed(const std::string& name) {
    const auto at = name.find(kSeparator);
    if (at == std::string::npos || at == 0) return {"", name};
    return {name.substr(0, at), name.substr(at + kSeparator.size())};
}

tools::ToolFilter filter_for(const sdk::Identity& identity) {
    return [&identity](const tools::ToolDescriptor& t) {
        return policy::allows(identity, t.server, tools::required_permission(t));
    };
}

Json tool_error_result(const std::string& message) {
    return Json{{"content", Json::array({{{"type", "text"}, {"text", message}}})},
                {"isError", true}};
}

const Json& params_of(const Json& request) {
    static const Json empty = Json::object();
    const auto it = request.find("params");
    return it != request.end() && it->is_object() ? *it : empty;
}

// A template such as "note://{id}" matches URIs that start with its literal prefix; returns the
// prefix length (0: no match), so the most specific template can win.
std::size_t template_match_length(const Json& tmpl, const std::string& uri) {
    const auto t = tmpl.value("uriTemplate", std::string());
    const auto brace = t.find('{');
    const std::string prefix = t.substr(0, brace);
    return !prefix.empty() && uri.starts_with(prefix) ? prefix.size() : 0;
}

// "test://x/y" -> "test"; "" when the string has no scheme.
std::string uri_scheme(const std::string& uri) {
    const auto colon = uri.find(':');
    if (colon == std::string::npos || colon == 0) return {};
    return uri.substr(0, colon);
}

}  // namespace

Dispatcher::Dispatcher(std::shared_ptr<upstream::UpstreamManager> upstreams,
                       const config::Config& config)
    : upstreams_(std::move(upstreams)),
      routing_mode_(config.routing_mode),
      bare_names_(config.routing_mode == config::RoutingMode::direct &&
                  config.tool_names == config::ToolNames::bare),
      retrieve_default_limit_(config.retrieve_default_limit) {}

Json Dispatcher::initialize_result(std::string_view version) const {
    return Json{
        {"protocolVersion", version},
        {"capabilities",
         {{"tools", {{"listChanged", true}}},
          {"prompts", {{"listChanged", true}}},
          {"resources", {{"listChanged", true}, {"subscribe", true}}},
          {"completions", Json::object()},
          {"logging", Json::object()}}},
        {"serverInfo", {{"name", "mcpproxy"}, {"version", "0.1.0"}}},
        {"instructions",
         routing_mode_ == config::RoutingMode::retrieve_tools
             ? "mcpproxy fronts many MCP servers. Use retrieve_tools to find a tool, then call it "
               "with call_tool_read, call_tool_write or call_tool_destructive as its entry says."
         : bare_names_ ? "mcpproxy fronts many MCP servers; tools keep their own names, and a name "
                         "that several servers share is listed as <server>__<tool>."
                       : "mcpproxy fronts many MCP servers; tools are named <server>__<tool>."}};
}

asio::awaitable<Json> Dispatcher::handle(const Json& request, RequestContext& ctx) {
    const Json& id = request["id"];
    const std::string method = protocol::method_of(request);
    const Json& params = params_of(request);
    if (method == "ping") co_return make_result(id, Json::object());
    if (method == "tools/list") co_return list_tools(id, ctx);
    if (method == "tools/call") co_return co_await call_tool(id, params, ctx);
    if (method == "prompts/list") co_return list_prompts(id, ctx);
    if (method == "prompts/get") co_return co_await get_prompt(id, params, ctx);
    if (method == "resources/list") co_return list_resources(id, ctx, false);
    if (method == "resources/templates/list") co_return list_resources(id, ctx, true);
    if (method == "resources/read" || method == "resources/subscribe" ||
        method == "resources/unsubscribe") {
        co_return co_await resource_call(id, method, params, ctx);
    }
    if (method == "completion/complete") co_return co_await complete(id, params, ctx);
    if (method == "logging/setLevel") {
        if (!params.contains("level") || !params["level"].is_string()) {
            co_return make_error(id, ec::invalid_params, "params.level must be a string");
        }
        co_return make_result(id, Json::object());
    }
    if (method == "initialize") {
        co_return make_error(id, ec::invalid_request, "the session is already initialized");
    }
    co_return make_error(id, ec::method_not_found, "Method not found: " + method);
}

Json Dispatcher::list_tools(const Json& id, const RequestContext& ctx) const {
    if (routing_mode_ == config::RoutingMode::retrieve_tools) {
        return make_result(id, {{"tools", tools::meta_tools_list()}});
    }
    const auto snap = upstreams_->snapshot();
    return make_result(id, {{"tools", snap->tools->direct_tools_list(filter_for(ctx.caller()))}});
}

asio::awaitable<Json> Dispatcher::call_tool(const Json& id, const Json& params,
                                            RequestContext& ctx) {
    const auto name_it = params.find("name");
    if (name_it == params.end() || !name_it->is_string()) {
        co_return make_error(id, ec::invalid_params, "params.name must be a string");
    }
    const std::string name = name_it->get<std::string>();
    if (const auto arguments = params.find("arguments");
        arguments != params.end() && !arguments->is_object()) {
        co_return make_error(id, ec::invalid_params, "params.arguments must be an object");
    }
    if (routing_mode_ == config::RoutingMode::retrieve_tools && tools::is_meta_tool(name)) {
        co_return co_await call_meta_tool(id, name, params, ctx);
    }
    if (routing_mode_ == config::RoutingMode::retrieve_tools) {
        co_return make_error(id, ec::invalid_params,
                             "Unknown tool: " + name + " (use retrieve_tools to find tools)");
    }
    const auto snap = upstreams_->snapshot();
    const auto ref = snap->tools->resolve_direct(name);
    if (!ref) co_return make_error(id, ec::invalid_params, "Unknown tool: " + name);
    const auto& tool = *ref->tool;
    ctx.server = tool.server;
    ctx.tool = tool.name;
    const auto decision =
        policy::decide(ctx.caller(), tool.server, tools::required_permission(tool));
    if (decision == policy::Decision::deny_server) {
        // Invisible tools are unknown tools: a caller learns nothing about servers it may not use.
        ctx.denied = true;
        ctx.deny_reason = std::string(policy::to_string(decision));
        co_return make_error(id, ec::invalid_params, "Unknown tool: " + name);
    }
    if (decision != policy::Decision::allow) {
        ctx.denied = true;
        ctx.deny_reason = std::string(policy::to_string(decision));
        ctx.http_status = 403;
        co_return make_error(id, ec::forbidden,
                             "Forbidden: this credential lacks the " +
                                 std::string(policy::to_string(tools::required_permission(tool))) +
                                 " permission needed by " + name);
    }
    Json forwarded = params;
    forwarded["name"] = tool.name;
    co_return co_await forward(id, tool.server, "tools/call", std::move(forwarded), ctx);
}

asio::awaitable<Json> Dispatcher::call_meta_tool(const Json& id, const std::string& name,
                                                 const Json& params, RequestContext& ctx) {
    const auto arguments = params.value("arguments", Json::object());
    const auto snap = upstreams_->snapshot();
    const auto filter = filter_for(ctx.caller());
    if (name == tools::retrieve_tools_name) {
        auto parsed = tools::parse_retrieve_tools_args(arguments);
        if (auto* err = std::get_if<tools::ArgumentError>(&parsed)) {
            co_return make_result(id, tool_error_result(err->message));
        }
        auto args = std::get<tools::RetrieveToolsArgs>(parsed);
        if (!arguments.contains("limit")) args.limit = retrieve_default_limit_;
        co_return make_result(
            id, tools::retrieve_tools_result(*snap->tools, args.query, args.limit, filter));
    }
    const auto variant = tools::permission_for_call_variant(name);
    // A call variant beyond the caller's own permission is refused before anything else.
    if (static_cast<int>(*variant) > static_cast<int>(ctx.caller().permission)) {
        ctx.denied = true;
        ctx.deny_reason = "permission_missing";
        co_return make_result(
            id, tool_error_result("Forbidden: " + name + " needs the " +
                                  std::string(policy::to_string(*variant)) +
                                  " permission, which this credential does not have"));
    }
    auto resolved = tools::resolve_call_tool(*snap->tools, *variant, arguments, filter);
    if (auto* err = std::get_if<tools::ArgumentError>(&resolved)) {
        co_return make_result(id, tool_error_result(err->message));
    }
    const auto& call = std::get<tools::ResolvedCall>(resolved);
    ctx.server = call.target.tool->server;
    ctx.tool = call.target.tool->name;
    Json forwarded{{"name", call.target.tool->name}, {"arguments", call.args}};
    if (params.contains("_meta")) forwarded["_meta"] = params["_meta"];
    co_return co_await forward(id, ctx.server, "tools/call", std::move(forwarded), ctx);
}

asio::awaitable<Json> Dispatcher::forward(const Json& id, const std::string& server,
                                          const std::string& method, Json params,
                                          RequestContext& ctx) {
    ctx.server = server;
    auto client = upstreams_->client(server);
    if (!client) {
        co_return make_error(id, ec::upstream_unavailable,
                             "upstream " + server + " is not available right now");
    }
    upstream::CallOptions options;
    options.timeout = upstreams_->timeout_for(server);
    options.observer = ctx.observer;
    options.cancel = ctx.cancel;
    try {
        Json result = co_await client->call(method, std::move(params), options);
        co_return make_result(id, std::move(result));
    } catch (const upstream::UpstreamError& e) {
        co_return make_error(id, e.code(), e.what(), e.data());
    }
}

Json Dispatcher::list_prompts(const Json& id, const RequestContext& ctx) const {
    const auto snap = upstreams_->snapshot();
    Json prompts = Json::array();
    for (std::size_t i = 0; i < snap->prompts.size(); ++i) {
        const auto& p = snap->prompts[i];
        if (!policy::allows(ctx.caller(), p.server, sdk::Permission::read)) continue;
        Json item = p.item;
        item["name"] = snap->prompt_names[i];
        prompts.push_back(std::move(item));
    }
    return make_result(id, {{"prompts", prompts}});
}

std::pair<std::string, std::string> Dispatcher::resolve_prompt(
    const upstream::UpstreamSnapshot& snap, const std::string& public_name) const {
    for (std::size_t i = 0; i < snap.prompts.size(); ++i) {
        if (snap.prompt_names[i] == public_name) {
            return {snap.prompts[i].server, snap.prompts[i].item.value("name", std::string())};
        }
    }
    // Not listed (yet): "<server>__<name>" still reaches that server.
    return split_prefixed(public_name);
}

asio::awaitable<Json> Dispatcher::get_prompt(const Json& id, const Json& params,
                                             RequestContext& ctx) {
    if (!params.contains("name") || !params["name"].is_string()) {
        co_return make_error(id, ec::invalid_params, "params.name must be a string");
    }
    const auto [server, name] =
        resolve_prompt(*upstreams_->snapshot(), params["name"].get<std::string>());
    if (server.empty() || !policy::allows(ctx.caller(), server, sdk::Permission::read)) {
        co_return make_error(id, ec::invalid_params,
                             "Unknown prompt: " + params["name"].get<std::string>());
    }
    Json forwarded = params;
    forwarded["name"] = name;
    ctx.tool = name;
    co_return co_await forward(id, server, "prompts/get", std::move(forwarded), ctx);
}

Json Dispatcher::list_resources(const Json& id, const RequestContext& ctx, bool templates) const {
    const auto snap = upstreams_->snapshot();
    Json items = Json::array();
    const auto& listed = templates ? snap->resource_templates : snap->resources;
    for (std::size_t i = 0; i < listed.size(); ++i) {
        if (!policy::allows(ctx.caller(), listed[i].server, sdk::Permission::read)) continue;
        Json item = listed[i].item;
        if (templates && item.contains("name")) item["name"] = snap->template_names[i];
        items.push_back(std::move(item));
    }
    return make_result(id, {{templates ? "resourceTemplates" : "resources", items}});
}

std::string Dispatcher::server_for_uri(const upstream::UpstreamSnapshot& snap,
                                       const std::string& uri) const {
    if (const auto it = snap.resource_server.find(uri); it != snap.resource_server.end()) {
        return it->second;
    }
    std::string best;
    std::size_t best_length = 0;
    for (const auto& t : snap.resource_templates) {
        const auto length = template_match_length(t.item, uri);
        if (length > best_length) {
            best_length = length;
            best = t.server;
        }
    }
    if (!best.empty() || !snap.bare_names) return best;
    // Bare names make the proxy transparent: a URI nobody listed goes to the one upstream that
    // uses its scheme, or to the only upstream there is.
    const auto scheme = uri_scheme(uri);
    std::set<std::string> by_scheme;
    for (const auto* list : {&snap.resources, &snap.resource_templates}) {
        for (const auto& r : *list) {
            const auto key = list == &snap.resources ? "uri" : "uriTemplate";
            if (!scheme.empty() && uri_scheme(r.item.value(key, std::string())) == scheme) {
                by_scheme.insert(r.server);
            }
        }
    }
    if (by_scheme.size() == 1) return *by_scheme.begin();
    if (snap.servers.size() == 1) return snap.servers.front();
    return {};
}

asio::awaitable<Json> Dispatcher::resource_call(const Json& id, const std::string& method,
                                                const Json& params, RequestContext& ctx) {
    if (!params.contains("uri") || !params["uri"].is_string()) {
        co_return make_error(id, ec::invalid_params, "params.uri must be a string");
    }
    const std::string uri = params["uri"].get<std::string>();
    const auto snap = upstreams_->snapshot();
    const std::string server = server_for_uri(*snap, uri);
    if (server.empty() || !policy::allows(ctx.caller(), server, sdk::Permission::read)) {
        co_return make_error(id, ec::resource_not_found, "Resource not found", {{"uri", uri}});
    }
    ctx.tool = uri;
    if (method == "resources/subscribe" && ctx.session) ctx.session->subscribe(uri);
    if (method == "resources/unsubscribe" && ctx.session) ctx.session->unsubscribe(uri);
    co_return co_await forward(id, server, method, params, ctx);
}

asio::awaitable<Json> Dispatcher::complete(const Json& id, const Json& params,
                                           RequestContext& ctx) {
    const auto ref = params.value("ref", Json::object());
    const auto type = ref.value("type", std::string());
    Json forwarded = params;
    std::string server;
    if (type == "ref/prompt") {
        const auto [s, name] =
            resolve_prompt(*upstreams_->snapshot(), ref.value("name", std::string()));
        server = s;
        forwarded["ref"]["name"] = name;
    } else if (type == "ref/resource") {
        server = server_for_uri(*upstreams_->snapshot(), ref.value("uri", std::string()));
    } else {
        co_return make_error(id, ec::invalid_params,
                             "params.ref.type must be ref/prompt or ref/resource");
    }
    if (server.empty() || !policy::allows(ctx.caller(), server, sdk::Permission::read)) {
        co_return make_result(id,
                              {{"completion", {{"values", Json::array()}, {"hasMore", false}}}});
    }
    co_return co_await forward(id, server, "completion/complete", std::move(forwarded), ctx);
}

}  // namespace mcpproxy::mcp
