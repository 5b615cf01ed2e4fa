#pragma once

#include <CLI/CLI.hpp>
#include <vector>

#include "mcpproxy/sdk/command.hpp"

namespace mcpproxy::app {

// Adds plugin-contributed commands ("token create", ...) to the CLI11 app. The returned objects
// hold the parsed values and must outlive parsing; run_selected() runs the chosen command.
class PluginCli {
public:
    void add(CLI::App& app, const sdk::CommandSpec& spec);
    // The exit code of the command that was selected, or nullopt when none of them was.
    std::optional<int> run_selected();

private:
    struct Bound;
    std::vector<std::shared_ptr<Bound>> bound_;
};

}  // namespace mcpproxy::app
