#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "mcpproxy/sdk/auth_bridge.hpp"

namespace hello_plugin {

// Trusts whoever says their name in an `X-Hello: <name>` header: identity <name>, kind "hello",
// read access to every server. A demonstration of the AuthBridge contract, not a credential:
// anyone can send the header, so load it only on a loopback listener.
class HelloBridge final : public mcpproxy::sdk::AuthBridge {
public:
    static constexpr std::size_t kMaxNameLength = 64;

    mcpproxy::sdk::AuthResult authenticate(const mcpproxy::sdk::RequestView& request) override;
    [[nodiscard]] std::string challenge(const mcpproxy::sdk::RequestView& request) const override;
    [[nodiscard]] std::vector<std::string> credential_names(std::size_t limit) const override;

    [[nodiscard]] std::uint64_t accepted() const { return accepted_.load(); }

private:
    std::atomic<std::uint64_t> accepted_{0};
};

}  // namespace hello_plugin
