#pragma once

#include <boost/dll/alias.hpp>
#include <cstdint>
#include <exception>
#include <string>

#include "mcpproxy/sdk/auth_bridge.hpp"
#include "mcpproxy/sdk/host.hpp"
#include "mcpproxy/sdk/tunnel_adapter.hpp"
#include "mcpproxy/sdk/upstream_credentials.hpp"
#include "mcpproxy/sdk/version.hpp"
#include "mcpproxy/sdk/visibility.hpp"

namespace mcpproxy::sdk {

// What a plugin file says about itself before anything else is called. This layout is frozen for
// every ABI version, so the host can read abi_version from any plugin and refuse a mismatch.
struct PluginDescriptor {
    std::uint32_t abi_version;
    const char* name;         // "auth-agent-token"
    const char* kind;         // "auth_bridge", "tunnel_adapter" or "extension"
    const char* version;      // the plugin's own version
    const char* description;  // one line
    const char* commands;  // top-level CLI words it contributes, space-separated ("token"), or ""
};

// A loaded plugin. Life cycle: constructed with the Host (reads and validates config, registers
// commands; throws on bad config) -> start() when serving -> stop() on shutdown -> destroyed.
// Every call may throw; the host converts exceptions into errors naming the plugin.
class MCPPROXY_SDK_VISIBLE Plugin {
public:
    virtual ~Plugin() = default;
    virtual void start() {}
    virtual void stop() noexcept {}
    virtual AuthBridge* auth_bridge() { return nullptr; }
    virtual TunnelAdapter* tunnel_adapter() { return nullptr; }
    virtual UpstreamCredentials* upstream_credentials() { return nullptr; }
    // One line for /readyz and `mcpproxy doctor`; empty when there is nothing to say.
    [[nodiscard]] virtual std::string health_detail() const { return {}; }
};

using DescriptorFunction = const PluginDescriptor*() noexcept;
// Returns nullptr and fills error when the plugin cannot be constructed.
using CreateFunction = Plugin*(Host& host, std::string& error) noexcept;

inline constexpr const char* kDescriptorSymbol = "mcpproxy_plugin_descriptor";
inline constexpr const char* kCreateSymbol = "mcpproxy_plugin_create";

}  // namespace mcpproxy::sdk

// Declares the plugin's entry points. Use once per plugin, in one source file:
//   MCPPROXY_PLUGIN(MyPlugin, "my-plugin", "auth_bridge", "1.0.0", "What it does", "")
// PluginClass needs a constructor taking mcpproxy::sdk::Host&.
#define MCPPROXY_PLUGIN(PluginClass, Name, Kind, Version, Description, Commands)                \
    namespace mcpproxy_plugin_entry {                                                           \
    const ::mcpproxy::sdk::PluginDescriptor* descriptor() noexcept {                            \
        static const ::mcpproxy::sdk::PluginDescriptor d{                                       \
            MCPPROXY_SDK_ABI_VERSION, Name, Kind, Version, Description, Commands};              \
        return &d;                                                                              \
    }                                                                                           \
    ::mcpproxy::sdk::Plugin* create(::mcpproxy::sdk::Host& host, std::string& error) noexcept { \
        try {                                                                                   \
            return new PluginClass(host);                                                       \
        } catch (const std::exception& e) {                                                     \
            error = e.what();                                                                   \
        } catch (...) {                                                                         \
            error = "unknown exception";                                                        \
        }                                                                                       \
        return nullptr;                                                                         \
    }                                                                                           \
    }                                                                                           \
    BOOST_DLL_ALIAS(mcpproxy_plugin_entry::descriptor, mcpproxy_plugin_descriptor)              \
    BOOST_DLL_ALIAS(mcpproxy_plugin_entry::create, mcpproxy_plugin_create)
