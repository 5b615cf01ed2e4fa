#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "kernel/activity/activity_record.hpp"

namespace mcpproxy::activity {

// RFC 4180: a field holding a comma, a double quote, CR or LF is enclosed in double quotes, with
// each double quote doubled; any other field is written as is.
std::string csv_field(std::string_view value);

// Columns match the JSON field names; lines end in CRLF as RFC 4180 asks.
void write_csv_header(std::ostream& out);
void write_csv_row(const ActivityRecord& record, std::ostream& out);

}  // namespace mcpproxy::activity
