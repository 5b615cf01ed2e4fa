#pragma once

#include <array>
#include <string_view>

namespace mcpproxy::protocol {

// MCP revisions this proxy speaks, oldest first.
inline constexpr std::array<std::string_view, 4> kSupportedVersions{"2025-03-26", "2025-06-18",
                                                                    "2025-11-25", "2026-07-28"};
inline constexpr std::string_view kLatestSessionVersion = "2025-11-25";
// The stateless revision: POST only, no initialize handshake, Mcp-Method/Mcp-Name headers.
inline constexpr std::string_view kStatelessVersion = "2026-07-28";
// Assumed when a client sends no MCP-Protocol-Version header (the spec's back-compat rule).
inline constexpr std::string_view kDefaultAssumedVersion = "2025-03-26";

bool is_supported_version(std::string_view version);
// The version to answer an initialize request with: the client's when supported, else the latest.
std::string_view negotiate_version(std::string_view requested);
// Whether JSON-RPC batches are allowed at this revision (only 2025-03-26 had them).
bool allows_batches(std::string_view version);

}  // namespace mcpproxy::protocol
