#pragma once

#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "kernel/activity/activity_record.hpp"

namespace mcpproxy::activity {

// `-o table`: TIME, REQUEST ID, IDENTITY, CLIENT, SERVER, TOOL, DECISION, STATUS, LATENCY MS, one
// record per line, columns as wide as their content (capped), numbers right-aligned.
void write_table(std::span<const ActivityRecord> records, std::ostream& out);

// A value made safe for a terminal: control characters (C0 and C1) become '?' (names and addresses
// can come from clients and upstreams), cut to `max_width` code points with a trailing "…".
std::string table_cell(std::string_view value, std::size_t max_width);

}  // namespace mcpproxy::activity
