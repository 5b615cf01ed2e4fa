// A plugin that constructs fine and fails when started.
#include <stdexcept>

#include "mcpproxy/sdk/plugin.hpp"

namespace {
class StartThrows final : public mcpproxy::sdk::Plugin {
public:
    explicit StartThrows(mcpproxy::sdk::Host&) {}
    void start() override { throw std::runtime_error("daemon binary not found"); }
};
}  // namespace

MCPPROXY_PLUGIN(StartThrows, "test-start-throws", "extension", "0.0.1", "fails to start", "")
