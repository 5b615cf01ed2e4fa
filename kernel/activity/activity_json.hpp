#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <span>

#include "kernel/activity/activity_record.hpp"

namespace mcpproxy::activity {

// Every field is always present (null when unset) so consumers see one stable shape. Times are
// RFC 3339 UTC with microseconds; latency is in microseconds.
nlohmann::json to_json(const ActivityRecord& record);

// `-o json`: one pretty-printed array.
void write_json_array(std::span<const ActivityRecord> records, std::ostream& out);
// `export --format jsonl`: one compact object per line.
void write_jsonl_line(const ActivityRecord& record, std::ostream& out);

}  // namespace mcpproxy::activity
