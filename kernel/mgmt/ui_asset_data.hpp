#pragma once

#include <span>
#include <string_view>

namespace mcpproxy::mgmt {

// One web UI file built into the binary.
struct EmbeddedFile {
    std::string_view name;     // "index.html", "app.js", ...
    std::string_view content;  // the exact bytes of kernel/mgmt/ui/<name>
};

// Defined in the build tree: ui_asset_data.cpp, generated from kernel/mgmt/ui/ at build time.
std::span<const EmbeddedFile> embedded_ui_files();

}  // namespace mcpproxy::mgmt
