#include "kernel/activity/activity_csv.hpp"

#include <initializer_list>

#include "kernel/activity/activity_time.hpp"

namespace mcpproxy::activity {
namespace {

void write_line(std::ostream& out, std::initializer_list<std::string> fields) {
    bool first = true;
    for (const std::string& field : fields) {
        if (!first) out << ',';
        out << csv_field(field);
        first = false;
    }
    out << "\r\n";
}

}  // namespace

std::string csv_field(std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
    std::string quoted;
    quoted.reserve(value.size() + 2);
    quoted += '"';
    for (const char c : value) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

void write_csv_header(std::ostream& out) {
    write_line(out, {"time", "request_id", "identity_name", "identity_kind", "client_address",
                     "listener", "method", "server", "tool", "decision", "reason", "http_status",
                     "jsonrpc_error", "latency_us", "bytes_in", "bytes_out", "arguments"});
}

void write_csv_row(const ActivityRecord& r, std::ostream& out) {
    write_line(out, {format_rfc3339(r.time, 6), r.request_id, r.identity_name, r.identity_kind,
                     r.client_address, r.listener, r.method, r.server, r.tool, r.decision, r.reason,
                     std::to_string(r.http_status),
                     r.jsonrpc_error ? std::to_string(*r.jsonrpc_error) : std::string(),
                     std::to_string(r.latency.count()), std::to_string(r.bytes_in),
                     std::to_string(r.bytes_out), r.arguments.value_or(std::string())});
}

}  // namespace mcpproxy::activity
