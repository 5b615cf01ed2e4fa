// A plugin that needs a symbol nothing provides; it must be refused at load, not crash later.
#include "mcpproxy/sdk/plugin.hpp"

extern "C" int mcpproxy_symbol_that_does_not_exist(int);

namespace {
class Unresolved final : public mcpproxy::sdk::Plugin {
public:
    explicit Unresolved(mcpproxy::sdk::Host&) { (void)mcpproxy_symbol_that_does_not_exist(1); }
};
}  // namespace

MCPPROXY_PLUGIN(Unresolved, "test-unresolved", "extension", "0.0.1", "unresolved symbol", "")
