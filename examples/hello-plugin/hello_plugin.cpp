// hello-plugin: the smallest useful mcpproxy plugin, built out of tree against the installed SDK.
// It shows the whole contract: config from the host, a log line through the host's logger, an
// auth bridge, a CLI command and a health detail.
#include <string>

#include "greeting_config.hpp"
#include "hello_bridge.hpp"
#include "mcpproxy/sdk/plugin.hpp"

namespace hello_plugin {
namespace {

class HelloPlugin final : public mcpproxy::sdk::Plugin {
public:
    // Runs for `serve` and for `mcpproxy hello`: validate config and register commands here;
    // a throw becomes a start-up error naming this plugin.
    explicit HelloPlugin(mcpproxy::sdk::Host& host)
        : host_(host), config_(parse_hello_config(host.config_json())) {
        host.register_command({
            .path = "hello",
            .help = "Print hello-plugin's greeting",
            .options = {{.name = "--name", .help = "Who to greet", .default_value = "world"}},
            .positionals = {},
            .run =
                [this](const mcpproxy::sdk::CommandContext& ctx) {
                    ctx.out() << config_.greeting << ", " << ctx.option("name").value_or("world")
                              << "!\n";
                    return 0;
                },
        });
    }

    void start() override {
        host_.logger().info("hello-plugin started (greeting: " + config_.greeting + ")");
    }
    void stop() noexcept override { host_.logger().info("hello-plugin stopped"); }

    mcpproxy::sdk::AuthBridge* auth_bridge() override { return &bridge_; }

    [[nodiscard]] std::string health_detail() const override {
        return "greeting \"" + config_.greeting + "\", " + std::to_string(bridge_.accepted()) +
               " request(s) accepted";
    }

private:
    mcpproxy::sdk::Host& host_;
    HelloConfig config_;
    HelloBridge bridge_;
};

}  // namespace
}  // namespace hello_plugin

MCPPROXY_PLUGIN(hello_plugin::HelloPlugin, "hello-plugin", "auth_bridge", "1.0.0",
                "Example auth bridge: trusts an X-Hello: <name> header (demo only, loopback only)",
                "hello")
