#include "kernel/plugins/plugin_host.hpp"

#include <stdexcept>

#include "kernel/plugins/local_http_client.hpp"
#include "kernel/util/exception_text.hpp"

namespace mcpproxy::plugins {

PluginHost::PluginHost(std::string plugin_name, std::string config_json,
                       const HostServices& services)
    : plugin_name_(std::move(plugin_name)),
      config_json_(std::move(config_json)),
      services_(services),
      logger_(log::get("plugin:" + plugin_name_)) {}

std::chrono::system_clock::time_point PluginHost::now() const {
    return std::chrono::system_clock::now();
}

sdk::ProcessSupervisor& PluginHost::processes() {
    if (services_.processes == nullptr) {
        throw std::runtime_error("process supervision is not available in this mode");
    }
    return *services_.processes;
}

sdk::HttpClient& PluginHost::http() {
    // The default client holds no state, so one instance serves every plugin in every mode.
    static LocalHttpClient shared;
    return services_.http != nullptr ? *services_.http : shared;
}

void PluginHost::register_command(sdk::CommandSpec command) {
    command.run = [run = std::move(command.run), plugin = plugin_name_,
                   path = command.path](const sdk::CommandContext& context) -> int {
        try {
            return run(context);
        } catch (...) {
            context.err() << "error: plugin " << plugin << ": `" << path
                          << "` failed: " << util::exception_text(std::current_exception()) << "\n";
        }
        return 1;
    };
    commands_.push_back(std::move(command));
}

void PluginHost::register_route(sdk::RouteSpec route) {
    const std::string root =
        route.surface == sdk::RouteSurface::management ? "/api/v1/" : "/.well-known/";
    route.handler = [handler = std::move(route.handler), plugin = plugin_name_,
                     faults = services_.faults, entry_point = "route " + root + route.prefix](
                        const sdk::RouteRequest& request) -> sdk::RouteResponse {
        try {
            return handler(request);
        } catch (...) {
            if (faults) faults->record(plugin, entry_point, std::current_exception());
        }
        // The exception's text may name internals or secrets: it stays in the log.
        return {500, "application/json", R"({"error":"plugin_error"})", {}};
    };
    routes_.push_back(std::move(route));
}

std::vector<sdk::UpstreamServerInfo> PluginHost::upstream_servers() const {
    return services_.upstream_servers ? services_.upstream_servers()
                                      : std::vector<sdk::UpstreamServerInfo>{};
}

std::vector<std::string> PluginHost::public_urls() const {
    return services_.public_urls ? services_.public_urls() : std::vector<std::string>{};
}

}  // namespace mcpproxy::plugins
