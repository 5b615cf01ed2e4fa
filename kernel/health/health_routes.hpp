#pragma once

#include <memory>

#include "kernel/health/readiness.hpp"
#include "kernel/net/route_table.hpp"

namespace mcpproxy::health {

// GET /healthz: 200 when ready, 503 before; no body details.
net::Handler healthz_handler(std::shared_ptr<const Readiness> readiness);
// GET /healthz for the tunneled listener: the same statuses with an empty body.
net::Handler bare_healthz_handler(std::shared_ptr<const Readiness> readiness);
// GET /readyz: the same status with a JSON body naming what is not ready.
net::Handler readyz_handler(std::shared_ptr<const Readiness> readiness);

}  // namespace mcpproxy::health
