#pragma once

namespace mcpproxy::app {

// Parses the command line and runs the chosen command; returns the process exit code.
int run_cli(int argc, const char* const* argv);

}  // namespace mcpproxy::app
