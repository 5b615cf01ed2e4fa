#pragma once

#include <functional>
#include <memory>
#include <string>

#include "kernel/mcp/request_record.hpp"
#include "kernel/metrics/metrics_registry.hpp"
#include "kernel/net/route_table.hpp"

namespace mcpproxy::app {

using RecordObserver = std::function<void(const mcp::RequestRecord&)>;

// Declares the request metrics and returns the observer that counts every finished MCP request:
// requests by listener/method/status, denials by reason, auth failures, upstream calls and
// their latency by server.
RecordObserver make_metrics_sink(std::shared_ptr<metrics::Registry> registry);

// Shows each record to the observer, then hands it to the sink (no copy).
mcp::RecordSink fan_out(mcp::RecordSink sink, RecordObserver observer);

// GET /metrics behind the admin key; gauges() appends lines computed at scrape time.
net::Handler metrics_handler(std::shared_ptr<metrics::Registry> registry, std::string admin_key,
                             std::function<std::string()> gauges);

}  // namespace mcpproxy::app
