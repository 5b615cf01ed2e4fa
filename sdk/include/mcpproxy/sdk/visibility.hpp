#pragma once

// Plugins are built with hidden visibility; the SDK's interface types stay visible so that their
// type information is shared between the host and every plugin.
#if defined(__GNUC__) || defined(__clang__)
#define MCPPROXY_SDK_VISIBLE __attribute__((visibility("default")))
#else
#define MCPPROXY_SDK_VISIBLE
#endif
