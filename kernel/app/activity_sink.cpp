#include "kernel/app/activity_sink.hpp"

namespace mcpproxy::app {

mcp::RecordSink make_activity_sink(std::shared_ptr<activity::ActivityLog> log) {
    return [log = std::move(log)](mcp::RequestRecord r) {
        activity::ActivityRecord a;
        a.time = r.time;
        a.request_id = std::move(r.request_id);
        a.identity_name = std::move(r.identity_name);
        a.identity_kind = std::move(r.identity_kind);
        a.client_address = std::move(r.client_address);
        a.listener = std::move(r.listener);
        a.method = std::move(r.method);
        a.server = std::move(r.server);
        a.tool = std::move(r.tool);
        a.decision = r.denied ? activity::kDecisionDenied : activity::kDecisionAllowed;
        a.reason = std::move(r.reason);
        a.http_status = r.http_status;
        a.jsonrpc_error = r.jsonrpc_error;
        a.latency = r.latency;
        a.bytes_in = r.bytes_in;
        a.bytes_out = r.bytes_out;
        log->record(std::move(a));
    };
}

}  // namespace mcpproxy::app
