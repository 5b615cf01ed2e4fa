#include "kernel/activity/activity_json.hpp"

#include "kernel/activity/activity_time.hpp"

namespace mcpproxy::activity {
namespace {

// Tool and server names come from upstreams and may hold invalid UTF-8; replace it rather than
// fail the whole listing.
std::string dump(const nlohmann::json& value, int indent) {
    return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

nlohmann::json to_json(const ActivityRecord& r) {
    nlohmann::json j = nlohmann::json::object();
    j["time"] = format_rfc3339(r.time, 6);
    j["request_id"] = r.request_id;
    j["identity_name"] = r.identity_name;
    j["identity_kind"] = r.identity_kind;
    j["client_address"] = r.client_address;
    j["listener"] = r.listener;
    j["method"] = r.method;
    j["server"] = r.server;
    j["tool"] = r.tool;
    j["decision"] = r.decision;
    j["reason"] = r.reason;
    j["http_status"] = r.http_status;
    j["jsonrpc_error"] = r.jsonrpc_error ? nlohmann::json(*r.jsonrpc_error) : nlohmann::json();
    j["latency_us"] = r.latency.count();
    j["bytes_in"] = r.bytes_in;
    j["bytes_out"] = r.bytes_out;
    j["arguments"] = r.arguments ? nlohmann::json(*r.arguments) : nlohmann::json();
    return j;
}

void write_json_array(std::span<const ActivityRecord> records, std::ostream& out) {
    nlohmann::json array = nlohmann::json::array();
    for (const ActivityRecord& record : records) array.push_back(to_json(record));
    out << dump(array, 2) << '\n';
}

void write_jsonl_line(const ActivityRecord& record, std::ostream& out) {
    out << dump(to_json(record), -1) << '\n';
}

}  // namespace mcpproxy::activity
