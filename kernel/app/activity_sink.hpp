#pragma once

#include "kernel/activity/activity_log.hpp"
#include "kernel/mcp/request_record.hpp"

namespace mcpproxy::app {

// Turns the front end's request records into activity-log records.
mcp::RecordSink make_activity_sink(std::shared_ptr<activity::ActivityLog> log);

}  // namespace mcpproxy::app
