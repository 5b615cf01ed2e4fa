#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "kernel/activity/activity_store.hpp"

namespace mcpproxy::activity {

// What `mcpproxy activity list|export` needs; the CLI wiring maps its flags onto these. Parsers
// throw std::invalid_argument with a message fit for the user.

enum class ListFormat { table, json };
enum class ExportFormat { jsonl, csv };

ListFormat parse_list_format(std::string_view text);      // "table" | "json"
ExportFormat parse_export_format(std::string_view text);  // "jsonl" | "csv"
std::string parse_decision(std::string_view text);        // "allowed" | "denied"

// `--since`: an age back from `now` ("30m", "1h", "7d", "1h30m") or an RFC 3339 time.
std::chrono::system_clock::time_point parse_since(
    std::string_view text,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// `activity list`: the filter as given (default limit 100, newest first) as a table or JSON array.
void list_activity(ActivityStore& store, const ActivityFilter& filter, ListFormat format,
                   std::ostream& out);

// `activity export`: streams every match without holding them in memory. The filter is used as
// given; an export usually wants limit = 0 and Order::oldest_first. Returns the rows written;
// throws std::runtime_error when `out` fails.
std::uint64_t export_activity(ActivityStore& store, const ActivityFilter& filter,
                              ExportFormat format, std::ostream& out);

}  // namespace mcpproxy::activity
