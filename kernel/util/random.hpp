#pragma once

#include <cstddef>
#include <string>

namespace mcpproxy::util {

// Cryptographically random bytes rendered as lowercase hex (2 * bytes characters).
std::string random_hex(std::size_t bytes);

// A cheap, unique-per-process request id: a random per-process prefix and a counter.
std::string next_request_id();

}  // namespace mcpproxy::util
