// The HTTP request path as a listener sees it: one real kernel/net Listener on 127.0.0.1:0 with a
// route table shaped like the real one runs on a background thread; each input is written to a
// fresh connection, the client half-closes and reads until the server closes. A sanitizer report
// in the server, or a server that never closes after the client's end of input, is a finding.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <spdlog/sinks/null_sink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "kernel/net/listener.hpp"
#include "tests/fuzz/fuzz_mcp_routes.hpp"

namespace {

using namespace mcpproxy;

struct Server {
    net::asio::io_context io{1};
    std::shared_ptr<net::Listener> listener;
    std::uint16_t port = 0;
    std::thread thread;

    Server() {
        auto context = std::make_shared<net::ListenerContext>();
        context->name = "fuzz";
        context->routes = fuzz::make_mcp_like_routes();
        context->limits.max_header_bytes = 8 * 1024;
        context->limits.max_body_bytes = 64 * 1024;
        // The client always half-closes, so the timeouts only bound a stuck session.
        context->limits.header_timeout = std::chrono::milliseconds(1000);
        context->limits.body_timeout = std::chrono::milliseconds(1000);
        context->limits.idle_timeout = std::chrono::milliseconds(1000);
        context->log = std::make_shared<spdlog::logger>(
            "fuzz", std::make_shared<spdlog::sinks::null_sink_mt>());
        listener = std::make_shared<net::Listener>(io, util::HostPort{"127.0.0.1", 0}, context);
        port = listener->bind().port;
        listener->start();
        thread = std::thread([this] { io.run(); });
        thread.detach();  // lives as long as the process
    }
};

Server& server() {
    static auto* s = new Server();
    return *s;
}

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz harness: %s: %s\n", what, std::strerror(errno));
    std::abort();
}

// libFuzzer's -timeout alarm (SIGALRM, installed without SA_RESTART) interrupts blocking calls.
// A loopback connect sometimes waits for a retried SYN (1 s); interrupted, it fails with EINTR
// while the handshake goes on, so wait for it here rather than report the harness's own abort.
void wait_until_connected(int fd) {
    pollfd writable{fd, POLLOUT, 0};
    for (;;) {
        const int ready = ::poll(&writable, 1, 10'000);
        if (ready > 0) break;
        if (ready == 0) errno = ETIMEDOUT;
        if (ready == 0 || errno != EINTR) fail("connect");
    }
    int error = 0;
    socklen_t length = sizeof error;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) fail("getsockopt");
    if (error != 0) {
        errno = error;
        fail("connect");
    }
}

int connect_to(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) fail("socket");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        if (errno != EINTR) fail("connect");
        wait_until_connected(fd);
    }
    timeval tv{5, 0};  // far above every server timeout: hitting it means the session hung
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const int fd = connect_to(server().port);
    std::size_t sent = 0;
    while (sent < size) {
        const auto n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // the server may close early (rejected head): fine
        sent += static_cast<std::size_t>(n);
    }
    ::shutdown(fd, SHUT_WR);
    char buffer[16384];
    for (;;) {
        const auto n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n > 0 || (n < 0 && errno == EINTR)) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            std::fprintf(stderr, "server kept the connection open after the client's EOF\n");
            std::abort();
        }
        break;  // EOF or reset
    }
    // RST instead of TIME_WAIT: millions of connections must not exhaust loopback ports.
    linger hard{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    ::close(fd);
    return 0;
}
