#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "kernel/tunnel/tunnel_board.hpp"

namespace mcpproxy::app {

// <data dir>/tunnels.json: the tunnel adapters' latest status as the running server saw it,
// rewritten atomically on every change, so `mcpproxy tunnel status` works without the management
// listener or the admin key. Holds no secret. Thread-safe (adapters report from their threads).
class TunnelStatusFile {
public:
    explicit TunnelStatusFile(std::filesystem::path data_dir);
    // Writes the board's entries; remembers each adapter's last error (the detail of its latest
    // degraded/failed report) even after it recovers. Errors are swallowed: status is advisory.
    void write(const std::vector<tunnel::TunnelEntry>& entries) noexcept;

private:
    std::filesystem::path path_;
    std::mutex mutex_;
    std::map<std::string, std::string> last_error_;
};

// `mcpproxy tunnel status [-o json]`: prints what tunnels.json in data_dir says, and whether the
// server that wrote it still runs. Returns 0 when a status was found, 1 otherwise.
int tunnel_status_command(const std::filesystem::path& data_dir, const std::string& output);

}  // namespace mcpproxy::app
