// A well-behaved plugin: reads its config, contributes `mcpproxy greet`, reports health.
#include <string>

#include "mcpproxy/sdk/plugin.hpp"

namespace {

class GoodPlugin final : public mcpproxy::sdk::Plugin {
public:
    explicit GoodPlugin(mcpproxy::sdk::Host& host) : host_(host) {
        const std::string_view config = host.config_json();
        // Config is {"greeting": "..."} or {}; a real plugin would parse JSON properly.
        const auto key = config.find("\"greeting\"");
        if (key != std::string_view::npos) {
            const auto open = config.find('"', config.find(':', key) + 1);
            const auto close = config.find('"', open + 1);
            greeting_ = std::string(config.substr(open + 1, close - open - 1));
        }
        host.register_command({
            .path = "greet",
            .help = "Print a greeting (test plugin)",
            .options = {{.name = "--name", .help = "Who to greet", .default_value = "world"}},
            .positionals = {},
            .run =
                [this](const mcpproxy::sdk::CommandContext& ctx) {
                    ctx.out() << greeting_ << ", " << ctx.option("name").value_or("?") << " (data "
                              << host_.data_dir() << ")\n";
                    return 0;
                },
        });
    }
    void start() override { host_.logger().info("test-good started: " + greeting_); }
    void stop() noexcept override { host_.logger().info("test-good stopped"); }
    [[nodiscard]] std::string health_detail() const override { return "greeting " + greeting_; }

private:
    mcpproxy::sdk::Host& host_;
    std::string greeting_ = "hello";
};

}  // namespace

MCPPROXY_PLUGIN(GoodPlugin, "test-good", "extension", "1.2.3", "A plugin for loader tests", "greet")
