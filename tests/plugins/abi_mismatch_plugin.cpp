// Claims a plugin ABI this host does not speak.
#include "mcpproxy/sdk/plugin.hpp"

namespace entry {
const mcpproxy::sdk::PluginDescriptor* descriptor() noexcept {
    static const mcpproxy::sdk::PluginDescriptor d{999,     "test-abi-mismatch",     "extension",
                                                   "0.0.1", "built for another ABI", ""};
    return &d;
}
mcpproxy::sdk::Plugin* create(mcpproxy::sdk::Host&, std::string& error) noexcept {
    error = "must never be called";
    return nullptr;
}
}  // namespace entry

BOOST_DLL_ALIAS(entry::descriptor, mcpproxy_plugin_descriptor)
BOOST_DLL_ALIAS(entry::create, mcpproxy_plugin_create)
