#pragma once

#include <cstdint>

// The plugin ABI version. Any change to a type or virtual interface in this directory that a
// compiled plugin could observe (layout, vtable order, signatures) increments it. The host refuses
// plugins built for another value, naming both.
#define MCPPROXY_SDK_ABI_VERSION 4u

// The SDK's own release version (semantic versioning); informational only.
#define MCPPROXY_SDK_VERSION_STRING "0.3.0"

namespace mcpproxy::sdk {
inline constexpr std::uint32_t kAbiVersion = MCPPROXY_SDK_ABI_VERSION;
}  // namespace mcpproxy::sdk
