#pragma once

#include <iosfwd>
#include <string>

#include "kernel/app/effective_config.hpp"

namespace mcpproxy::app {

// `mcpproxy doctor [-o json]`: every check with what to do about it; exit code 1 when one failed.
int doctor_command(const CliOverrides& cli, const std::string& output, std::ostream& out,
                   std::ostream& err);

}  // namespace mcpproxy::app
