#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "mcpproxy/sdk/visibility.hpp"

namespace mcpproxy::sdk {

struct CommandOption {
    std::string
        name;  // long form with dashes, e.g. "--servers"; "-o,--output" gives a short alias too
    std::string help;
    bool is_flag = false;  // takes no value
    bool required = false;
    std::string default_value;
};

struct CommandPositional {
    std::string name;
    std::string help;
    bool required = true;
};

class MCPPROXY_SDK_VISIBLE CommandContext {
public:
    virtual ~CommandContext() = default;
    // The value given for an option (by its long name without dashes), or its default when given.
    [[nodiscard]] virtual std::optional<std::string> option(std::string_view name) const = 0;
    [[nodiscard]] virtual bool flag(std::string_view name) const = 0;
    [[nodiscard]] virtual std::optional<std::string> positional(std::string_view name) const = 0;
    [[nodiscard]] virtual std::ostream& out() const = 0;
    [[nodiscard]] virtual std::ostream& err() const = 0;
};

// A CLI subcommand a plugin contributes, e.g. path "token create" for `mcpproxy token create`.
// run returns the process exit code. Runs on the main thread with the plugin loaded.
struct CommandSpec {
    std::string path;
    std::string help;
    std::vector<CommandOption> options;
    std::vector<CommandPositional> positionals;
    std::function<int(const CommandContext&)> run;
};

}  // namespace mcpproxy::sdk
