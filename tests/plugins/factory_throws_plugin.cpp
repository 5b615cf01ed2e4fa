// A plugin whose constructor rejects its config.
#include <stdexcept>

#include "mcpproxy/sdk/plugin.hpp"

namespace {
class ThrowingPlugin final : public mcpproxy::sdk::Plugin {
public:
    explicit ThrowingPlugin(mcpproxy::sdk::Host&) {
        throw std::invalid_argument("bad config: \"endpoint\" is required");
    }
};
}  // namespace

MCPPROXY_PLUGIN(ThrowingPlugin, "test-factory-throws", "extension", "0.0.1", "throws", "")
