#include "kernel/plugins/plugin_registry.hpp"

#include "kernel/log/logging.hpp"
#include "kernel/plugins/plugin_error.hpp"

namespace mcpproxy::plugins {

PluginRegistry::PluginRegistry(PluginLocator locator, HostServices services)
    : locator_(std::move(locator)),
      faults_(std::make_shared<PluginFaults>(log::get("plugins"))),
      services_(std::move(services)),
      log_(log::get("plugins")) {
    services_.faults = faults_;
}

PluginRegistry::~PluginRegistry() {
    stop_all();
    // Destroy in reverse order of loading. Registered commands hold code that lives in the plugin,
    // so they go first; the instance's deleter then releases the library.
    while (!plugins_.empty()) {
        auto& p = plugins_.back();
        p.host->clear_commands();
        p.instance.reset();
        plugins_.pop_back();
    }
}

LoadedPlugin& PluginRegistry::load(const std::string& name_or_path,
                                   const nlohmann::json& settings) {
    const auto path = locator_.locate(name_or_path);
    auto library = PluginLibrary::open(path);
    const auto& info = library->info();
    for (const auto& p : plugins_) {
        if (p.info.name == info.name) throw PluginError(info.name, "is loaded twice");
    }
    LoadedPlugin loaded;
    loaded.info = info;
    loaded.host = std::make_unique<PluginHost>(info.name, settings.dump(), services_);
    loaded.instance = library->create(*loaded.host);
    log_->info("loaded plugin {} {} ({}, ABI {}) from {}", info.name, info.version, info.kind,
               info.abi_version, info.path.string());
    plugins_.push_back(std::move(loaded));
    return plugins_.back();
}

void PluginRegistry::start_all() {
    for (auto& p : plugins_) {
        if (p.started) continue;
        try {
            p.instance->start();
            p.started = true;
            const char* asking = "auth_bridge()";
            try {
                p.auth_bridge = p.instance->auth_bridge();
                asking = "tunnel_adapter()";
                p.tunnel_adapter = p.instance->tunnel_adapter();
                asking = "upstream_credentials()";
                p.upstream_credentials = p.instance->upstream_credentials();
            } catch (const std::exception& e) {
                throw std::runtime_error(std::string(asking) + " failed: " + e.what());
            } catch (...) {
                throw std::runtime_error(std::string(asking) + " failed: unknown exception");
            }
        } catch (const std::exception& e) {
            p.failed = true;
            p.last_error = e.what();
            throw PluginError(p.info.name, std::string("failed to start: ") + e.what());
        } catch (...) {
            p.failed = true;
            p.last_error = "unknown exception";
            throw PluginError(p.info.name, "failed to start: unknown exception");
        }
    }
}

void PluginRegistry::stop_all() noexcept {
    for (auto it = plugins_.rbegin(); it != plugins_.rend(); ++it) {
        if (!it->started) continue;
        it->started = false;
        try {
            it->instance->stop();
        } catch (...) {
            log_->error("plugin {}: stop failed", it->info.name);
        }
    }
}

}  // namespace mcpproxy::plugins
