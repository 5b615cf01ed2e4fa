#pragma once

#include "kernel/net/route_table.hpp"

namespace mcpproxy::mgmt {

// GET/HEAD /ui/<file> on the management listener: the web UI files built into the binary
// (/ui/ is index.html), with a strict Content-Security-Policy and no caching without
// revalidation. Unknown names get 404: there is no file system behind it, so no traversal.
net::Handler ui_handler();

// /ui (no slash): a permanent redirect to /ui/, so relative asset URLs resolve.
net::Handler ui_redirect_handler();

}  // namespace mcpproxy::mgmt
