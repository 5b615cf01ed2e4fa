#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace mcpproxy::test {

// A unix datagram socket standing in for systemd's $NOTIFY_SOCKET: the test owns it and reads
// what the service under test sends (READY=1, RELOADING=1, STOPPING=1, STATUS=...).
class NotifySocket {
public:
    explicit NotifySocket(std::filesystem::path path);
    ~NotifySocket();
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    // The next datagram, or nullopt when none comes within the limit.
    std::optional<std::string> receive(std::chrono::milliseconds limit);
    // Reads datagrams until one holds the line `line` (e.g. "READY=1"); false on timeout.
    bool wait_for(const std::string& line, std::chrono::milliseconds limit);

private:
    std::filesystem::path path_;
    int fd_ = -1;
};

}  // namespace mcpproxy::test
