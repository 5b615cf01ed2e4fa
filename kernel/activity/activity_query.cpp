#include "kernel/activity/activity_query.hpp"

#include <stdexcept>

#include "kernel/activity/activity_csv.hpp"
#include "kernel/activity/activity_json.hpp"
#include "kernel/activity/activity_table.hpp"
#include "kernel/activity/activity_time.hpp"

namespace mcpproxy::activity {
namespace {

std::string quoted(std::string_view text) {
    return "\"" + table_cell(text, 64) + "\"";
}

}  // namespace

ListFormat parse_list_format(std::string_view text) {
    if (text == "table") return ListFormat::table;
    if (text == "json") return ListFormat::json;
    throw std::invalid_argument("invalid output format " + quoted(text) +
                                ": expected table or json");
}

ExportFormat parse_export_format(std::string_view text) {
    if (text == "jsonl") return ExportFormat::jsonl;
    if (text == "csv") return ExportFormat::csv;
    throw std::invalid_argument("invalid export format " + quoted(text) +
                                ": expected jsonl or csv");
}

std::string parse_decision(std::string_view text) {
    if (text == kDecisionAllowed || text == kDecisionDenied) return std::string(text);
    throw std::invalid_argument("invalid decision " + quoted(text) +
                                ": expected allowed or denied");
}

std::chrono::system_clock::time_point parse_since(std::string_view text,
                                                  std::chrono::system_clock::time_point now) {
    using namespace std::chrono;
    if (const auto age = parse_age(text)) {
        // An age reaching back before 1970 means "everything"; it must not overflow the clock.
        const auto back_to_epoch = duration_cast<seconds>(now.time_since_epoch());
        if (*age >= back_to_epoch) return system_clock::time_point{};
        return now - *age;
    }
    if (const auto time = parse_rfc3339(text)) return *time;
    throw std::invalid_argument("invalid --since value " + quoted(text) +
                                ": expected an age such as 30m, 1h or 7d, or an RFC 3339 time "
                                "such as 2024-05-01T00:00:00Z");
}

void list_activity(ActivityStore& store, const ActivityFilter& filter, ListFormat format,
                   std::ostream& out) {
    const auto records = store.query(filter);
    if (format == ListFormat::json) {
        write_json_array(records, out);
    } else {
        write_table(records, out);
    }
}

std::uint64_t export_activity(ActivityStore& store, const ActivityFilter& filter,
                              ExportFormat format, std::ostream& out) {
    std::uint64_t rows = 0;
    const auto check = [&out] {
        if (!out) throw std::runtime_error("activity export: writing the output failed");
    };
    if (format == ExportFormat::csv) {
        write_csv_header(out);
        check();
    }
    store.visit(filter, [&](const ActivityRecord& record) {
        if (format == ExportFormat::csv) {
            write_csv_row(record, out);
        } else {
            write_jsonl_line(record, out);
        }
        check();
        ++rows;
    });
    out.flush();
    check();
    return rows;
}

}  // namespace mcpproxy::activity
