#include "kernel/protocol/protocol_versions.hpp"

#include <algorithm>

namespace mcpproxy::protocol {

bool is_supported_version(std::string_view version) {
    return std::find(kSupportedVersions.begin(), kSupportedVersions.end(), version) !=
           kSupportedVersions.end();
}

std::string_view negotiate_version(std::string_view requested) {
    // The table's own text, never a view into the caller's (often a temporary: found by
    // fuzz_jsonrpc as a stack-use-after-scope).
    const auto it = std::find(kSupportedVersions.begin(), kSupportedVersions.end(), requested);
    if (it != kSupportedVersions.end() && *it != kStatelessVersion) return *it;
    return kLatestSessionVersion;
}

bool allows_batches(std::string_view version) {
    return version == "2025-03-26";
}

}  // namespace mcpproxy::protocol
