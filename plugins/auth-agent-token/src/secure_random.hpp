#pragma once

#include <cstddef>
#include <span>

namespace mcpproxy::agent_token {

// Fills out with bytes from OpenSSL's CSPRNG (seeded by the OS). Throws std::runtime_error when
// the generator cannot deliver, which is never silently ignored.
void fill_random(std::span<unsigned char> out);

}  // namespace mcpproxy::agent_token
