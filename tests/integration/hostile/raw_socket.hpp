#pragma once

#include <chrono>
#include <string>

namespace mcpproxy::test {

// A blocking loopback TCP socket for attacks that need byte-level control (and many of them).
class RawSocket {
public:
    explicit RawSocket(unsigned short port);
    ~RawSocket();
    RawSocket(const RawSocket&) = delete;
    RawSocket& operator=(const RawSocket&) = delete;
    RawSocket(RawSocket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

    // False once the peer has closed or reset (writes never raise SIGPIPE).
    bool send(const std::string& bytes);
    // Everything the server writes until it closes or the timeout passes; closed() tells which.
    std::string read_until_close(std::chrono::milliseconds timeout);
    // Non-blocking: whether the server has closed (EOF or reset) by now.
    bool peer_closed();
    [[nodiscard]] bool closed() const { return closed_; }

private:
    int fd_ = -1;
    bool closed_ = false;
};

}  // namespace mcpproxy::test
