#include "kernel/protocol/protocol_versions.hpp"

#include <algorithm>

namespace mcpproxy::protocol {

bool is_supported_version(std::string_view version) {
    return std::find(kSupportedVersions.begin(), kSupportedVersions.end(), version) !=
           kSupportedVersions.end();
}

std::string_view negotiate_version(std::string_view requested) {
    if (is_supported_version(requested) && requested != kStatelessVersion) return requested;
    return kLatestSessionVersion;
}

bool allows_batches(std::string_view version) { return version == "2025-03-26"; }

}  // namespace mcpproxy::protocol
