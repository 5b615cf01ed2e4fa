#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>

#include "kernel/config/config.hpp"
#include "kernel/mcp/request_context.hpp"
#include "kernel/upstream/upstream_manager.hpp"

namespace mcpproxy::mcp {

// Answers MCP requests from the aggregated view of all upstreams: tools (direct names or the
// retrieve_tools surface), prompts, resources, completion, ping, logging. Returns whole JSON-RPC
// response messages; never throws for anything a client or upstream can cause.
class Dispatcher {
public:
    Dispatcher(std::shared_ptr<upstream::UpstreamManager> upstreams, const config::Config& config);

    boost::asio::awaitable<Json> handle(const Json& request, RequestContext& context);
    // The result of initialize for the negotiated version.
    [[nodiscard]] Json initialize_result(std::string_view version) const;

private:
    boost::asio::awaitable<Json> call_tool(const Json& id, const Json& params, RequestContext& ctx);
    boost::asio::awaitable<Json> call_meta_tool(const Json& id, const std::string& name,
                                                const Json& params, RequestContext& ctx);
    boost::asio::awaitable<Json> forward(const Json& id, const std::string& server,
                                         const std::string& method, Json params,
                                         RequestContext& ctx);
    boost::asio::awaitable<Json> get_prompt(const Json& id, const Json& params,
                                            RequestContext& ctx);
    boost::asio::awaitable<Json> resource_call(const Json& id, const std::string& method,
                                               const Json& params, RequestContext& ctx);
    boost::asio::awaitable<Json> complete(const Json& id, const Json& params, RequestContext& ctx);
    Json list_tools(const Json& id, const RequestContext& ctx) const;
    Json list_prompts(const Json& id, const RequestContext& ctx) const;
    Json list_resources(const Json& id, const RequestContext& ctx, bool templates) const;
    [[nodiscard]] std::string server_for_uri(const upstream::UpstreamSnapshot& snap,
                                             const std::string& uri) const;
    // A prompt's public name -> {server, upstream name}; empty server when it names none.
    [[nodiscard]] std::pair<std::string, std::string> resolve_prompt(
        const upstream::UpstreamSnapshot& snap, const std::string& public_name) const;

    std::shared_ptr<upstream::UpstreamManager> upstreams_;
    config::RoutingMode routing_mode_;
    bool bare_names_;
    std::size_t retrieve_default_limit_;
};

}  // namespace mcpproxy::mcp
