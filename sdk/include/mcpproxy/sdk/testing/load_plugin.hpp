#pragma once

#include <boost/dll/shared_library.hpp>
#include <memory>
#include <stdexcept>
#include <string>

#include "mcpproxy/sdk/plugin.hpp"

namespace mcpproxy::sdk::testing {

// A plugin file loaded the way mcpproxy loads it (Boost.DLL, RTLD_NOW | RTLD_LOCAL, ABI check),
// constructed with a Host the test owns. The library stays loaded as long as this object lives;
// the plugin object is destroyed first.
class LoadedPlugin {
public:
    LoadedPlugin(const std::string& path, Host& host) {
        boost::dll::fs::error_code ec;
        library_.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local,
                      ec);
        if (ec) throw std::runtime_error(path + ": cannot load: " + ec.message());
        for (const char* symbol : {kDescriptorSymbol, kCreateSymbol}) {
            if (!library_.has(symbol)) {
                throw std::runtime_error(path + ": not an mcpproxy plugin (no " + symbol + ")");
            }
        }
        const auto& describe = library_.get_alias<DescriptorFunction>(kDescriptorSymbol);
        descriptor_ = describe();
        if (descriptor_ == nullptr || descriptor_->abi_version != kAbiVersion) {
            throw std::runtime_error(path + ": built for plugin ABI " +
                                     (descriptor_ == nullptr
                                          ? std::string("?")
                                          : std::to_string(descriptor_->abi_version)) +
                                     ", this SDK is ABI " + std::to_string(kAbiVersion));
        }
        const auto& create = library_.get_alias<CreateFunction>(kCreateSymbol);
        std::string error;
        plugin_.reset(create(host, error));
        if (!plugin_) throw std::runtime_error(path + ": the plugin refused to start: " + error);
    }
    LoadedPlugin(const LoadedPlugin&) = delete;
    LoadedPlugin& operator=(const LoadedPlugin&) = delete;
    ~LoadedPlugin() { plugin_.reset(); }

    [[nodiscard]] const PluginDescriptor& descriptor() const { return *descriptor_; }
    [[nodiscard]] Plugin& plugin() const { return *plugin_; }
    Plugin* operator->() const { return plugin_.get(); }

private:
    boost::dll::shared_library library_;  // declared first: destroyed after the plugin
    const PluginDescriptor* descriptor_ = nullptr;
    std::unique_ptr<Plugin> plugin_;
};

}  // namespace mcpproxy::sdk::testing
