#include "constant_time.hpp"

#include <openssl/crypto.h>

namespace mcpproxy::auth_common {

bool equal_constant_time(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace mcpproxy::auth_common
