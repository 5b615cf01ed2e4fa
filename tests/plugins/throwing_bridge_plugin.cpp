// An auth bridge that throws from authenticate() when the request carries "X-Throw: yes", and
// from challenge() when it carries "X-Throw-Challenge: yes"; otherwise it says the request is not
// its own. For the "a plugin throws at run time" fault tests.
#include <stdexcept>
#include <string>

#include "mcpproxy/sdk/auth_bridge.hpp"
#include "mcpproxy/sdk/plugin.hpp"

namespace {
class ThrowingBridge final : public mcpproxy::sdk::AuthBridge {
public:
    mcpproxy::sdk::AuthResult authenticate(const mcpproxy::sdk::RequestView& request) override {
        if (request.header("X-Throw") == "yes") throw std::runtime_error("token cache corrupted");
        return mcpproxy::sdk::AuthResult::not_mine();
    }
    [[nodiscard]] std::string challenge(const mcpproxy::sdk::RequestView& request) const override {
        if (request.header("X-Throw-Challenge") == "yes")
            throw std::runtime_error("no realm today");
        return "Bearer realm=\"throwing\"";
    }
};

class ThrowingBridgePlugin final : public mcpproxy::sdk::Plugin {
public:
    explicit ThrowingBridgePlugin(mcpproxy::sdk::Host&) {}
    mcpproxy::sdk::AuthBridge* auth_bridge() override { return &bridge_; }

private:
    ThrowingBridge bridge_;
};
}  // namespace

MCPPROXY_PLUGIN(ThrowingBridgePlugin, "test-throwing-bridge", "auth_bridge", "0.0.1",
                "throws from authenticate() on request", "")
