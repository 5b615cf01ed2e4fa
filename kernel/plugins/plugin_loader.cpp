#include "kernel/plugins/plugin_loader.hpp"

#include <dlfcn.h>

#include "kernel/plugins/plugin_error.hpp"

namespace mcpproxy::plugins {
namespace {

std::string or_empty(const char* s) {
    return s != nullptr ? s : "";
}

}  // namespace

std::shared_ptr<PluginLibrary> PluginLibrary::open(const std::filesystem::path& path) {
    const std::string file = path.string();
    std::shared_ptr<PluginLibrary> lib(new PluginLibrary());
    lib->info_.path = path;
    boost::dll::fs::error_code ec;
    // rtld_now: a plugin with unresolved symbols fails here, not in the middle of a request.
    lib->library_.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local,
                       ec);
    if (ec) {
        const char* detail = ::dlerror();
        throw PluginError(file, "cannot be loaded as a shared object (" +
                                    (detail != nullptr ? std::string(detail) : ec.message()) + ")");
    }
    for (const char* symbol : {sdk::kDescriptorSymbol, sdk::kCreateSymbol}) {
        if (!lib->library_.has(symbol)) {
            throw PluginError(
                file, std::string("is not an mcpproxy plugin (missing symbol ") + symbol + ")");
        }
    }
    const auto& describe = lib->library_.get_alias<sdk::DescriptorFunction>(sdk::kDescriptorSymbol);
    const sdk::PluginDescriptor* d = describe();
    if (d == nullptr) throw PluginError(file, "returned no descriptor");
    lib->info_.abi_version = d->abi_version;
    if (d->abi_version != sdk::kAbiVersion) {
        throw PluginError(file, "was built for plugin ABI " + std::to_string(d->abi_version) +
                                    ", this mcpproxy supports ABI " +
                                    std::to_string(sdk::kAbiVersion) +
                                    "; rebuild it against this SDK");
    }
    lib->info_.name = or_empty(d->name);
    lib->info_.kind = or_empty(d->kind);
    lib->info_.version = or_empty(d->version);
    lib->info_.description = or_empty(d->description);
    lib->info_.commands = or_empty(d->commands);
    if (lib->info_.name.empty()) throw PluginError(file, "has an empty name in its descriptor");
    return lib;
}

PluginInfo PluginLibrary::inspect(const std::filesystem::path& path) {
    try {
        return open(path)->info();
    } catch (const std::exception& e) {
        PluginInfo info;
        info.path = path;
        info.name = path.stem().string();
        info.problem = e.what();
        return info;
    }
}

std::shared_ptr<sdk::Plugin> PluginLibrary::create(sdk::Host& host) {
    const auto& factory = library_.get_alias<sdk::CreateFunction>(sdk::kCreateSymbol);
    std::string error;
    sdk::Plugin* raw = factory(host, error);
    if (raw == nullptr) {
        throw PluginError(info_.name,
                          "failed to start: " + (error.empty() ? "no reason given" : error));
    }
    // The deleter holds a reference to the library: the object's code stays mapped until the
    // object is destroyed, whatever happens to this PluginLibrary.
    return {raw, [keep = library_](sdk::Plugin* p) { delete p; }};
}

}  // namespace mcpproxy::plugins
