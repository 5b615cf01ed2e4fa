#pragma once

#include <optional>
#include <string>

#include "kernel/net/http_types.hpp"

namespace mcpproxy::net {

// The status line and fields of a response with a plain body, as Beast's serializer would write
// them, so that head and body go out in one gathered write. Beast's generic serializer costs more
// CPU than the system call for a small response (≈ 15 % of a proxied request in perf).
// nullopt when the response needs Beast's serializer: a chunked body, or a Content-Length that is
// missing or does not match the body.
std::optional<std::string> plain_response_head(const Response& response);

}  // namespace mcpproxy::net
