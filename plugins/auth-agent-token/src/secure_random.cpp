#include "secure_random.hpp"

#include <openssl/rand.h>

#include <limits>
#include <stdexcept>

namespace mcpproxy::agent_token {

void fill_random(std::span<unsigned char> out) {
    if (out.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        throw std::runtime_error("random request too large");
    }
    if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
        throw std::runtime_error("the system random number generator failed (RAND_bytes)");
    }
}

}  // namespace mcpproxy::agent_token
