#include "kernel/util/random.hpp"

#include <openssl/rand.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace mcpproxy::util {

std::string random_hex(std::size_t bytes) {
    std::vector<unsigned char> buf(bytes);
    if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1) {
        throw std::runtime_error("the system random number generator failed");
    }
    static constexpr std::array<char, 16> kDigits{'0', '1', '2', '3', '4', '5', '6', '7',
                                                  '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    std::string out;
    out.reserve(bytes * 2);
    for (const unsigned char b : buf) {
        out.push_back(kDigits[b >> 4U]);
        out.push_back(kDigits[b & 0xFU]);
    }
    return out;
}

std::string next_request_id() {
    static const std::string prefix = random_hex(4);
    static std::atomic<std::uint64_t> counter{0};
    const std::uint64_t n = counter.fetch_add(1, std::memory_order_relaxed) + 1;
    std::array<char, 17> digits{};
    int len = 0;
    std::uint64_t v = n;
    do {
        digits[static_cast<std::size_t>(len++)] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    std::string out = prefix;
    out.push_back('-');
    while (len > 0) out.push_back(digits[static_cast<std::size_t>(--len)]);
    return out;
}

}  // namespace mcpproxy::util
