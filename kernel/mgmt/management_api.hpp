#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "kernel/activity/activity_store.hpp"
#include "kernel/health/readiness.hpp"
#include "kernel/mcp/session_store.hpp"
#include "kernel/net/route_table.hpp"
#include "kernel/plugins/plugin_registry.hpp"
#include "kernel/tunnel/tunnel_board.hpp"
#include "kernel/upstream/upstream_manager.hpp"

namespace mcpproxy::mgmt {

struct ListenerInfo {
    std::string name;
    std::string address;
    std::string role;  // "local", "tunnel", "management"
};

// What the management API reads and acts on. Set up once by the server.
struct ManagementContext {
    std::string admin_key;  // secret
    std::string version;
    std::chrono::steady_clock::time_point started;
    std::shared_ptr<health::Readiness> readiness;
    std::shared_ptr<upstream::UpstreamManager> upstreams;
    std::shared_ptr<activity::ActivityStore> activity;
    std::shared_ptr<tunnel::TunnelBoard> tunnels;
    std::shared_ptr<mcp::SessionStore> sessions;
    plugins::PluginRegistry* plugins = nullptr;
    std::vector<ListenerInfo> listeners;
    std::vector<sdk::RouteSpec> plugin_routes;  // management surface only
};

// /api/v1/... on the management listener, behind the admin key (Authorization: Bearer or
// X-API-Key): status, servers (+ restart/enable/disable/approve), tools (+ search), activity,
// and the routes plugins contributed (e.g. tokens).
net::Handler management_api_handler(std::shared_ptr<ManagementContext> context);

}  // namespace mcpproxy::mgmt
