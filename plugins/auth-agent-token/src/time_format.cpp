#include "time_format.hpp"

#include <ctime>

namespace mcpproxy::agent_token {
namespace {

std::string format(Seconds t, const char* pattern) {
    const std::time_t raw = static_cast<std::time_t>(t.time_since_epoch().count());
    std::tm tm{};
    gmtime_r(&raw, &tm);
    char buf[64];
    const auto n = std::strftime(buf, sizeof buf, pattern, &tm);
    return std::string(buf, n);
}

}  // namespace

std::string rfc3339(Seconds t) {
    return format(t, "%Y-%m-%dT%H:%M:%SZ");
}

std::string short_time(Seconds t) {
    return format(t, "%Y-%m-%d %H:%M UTC");
}

}  // namespace mcpproxy::agent_token
