#include "hello_bridge.hpp"

#include <algorithm>
#include <string_view>

namespace hello_plugin {
namespace {

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

bool printable(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u >= 0x20 && u != 0x7F;
    });
}

}  // namespace

mcpproxy::sdk::AuthResult HelloBridge::authenticate(const mcpproxy::sdk::RequestView& request) {
    const auto header = request.header("X-Hello");
    if (!header) return mcpproxy::sdk::AuthResult::not_mine();
    const std::string_view name = trim(*header);
    if (name.empty()) return mcpproxy::sdk::AuthResult::reject("empty_name");
    if (name.size() > kMaxNameLength || !printable(name)) {
        return mcpproxy::sdk::AuthResult::reject("invalid_name");
    }
    mcpproxy::sdk::Identity who;
    who.name = std::string(name);
    who.kind = "hello";
    who.allowed_servers = {"*"};
    who.permission = mcpproxy::sdk::Permission::read;
    accepted_.fetch_add(1, std::memory_order_relaxed);
    return mcpproxy::sdk::AuthResult::accept(std::move(who));
}

std::string HelloBridge::challenge(const mcpproxy::sdk::RequestView& /*request*/) const {
    return "Hello realm=\"mcpproxy\"";
}

// No list of issued credentials exists: any name is accepted, which is what the banner should say.
std::vector<std::string> HelloBridge::credential_names(std::size_t limit) const {
    if (limit == 0) return {};
    return {"hello:any X-Hello name"};
}

}  // namespace hello_plugin
