#include "upstream/loopback_callback.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "upstream/oauth_http.hpp"
#include "upstream/oauth_urls.hpp"

namespace mcpproxy::oauth {
namespace {

void answer(int fd, int status, const char* reason, const std::string& text) {
    const std::string body =
        "<!doctype html><meta charset=utf-8><title>mcpproxy</title><p>" + text + "</p>\n";
    const std::string res = "HTTP/1.1 " + std::to_string(status) + " " + reason +
                            "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
                            std::to_string(body.size()) +
                            "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n" + body;
    std::size_t sent = 0;
    while (sent < res.size()) {
        const auto n = ::send(fd, res.data() + sent, res.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return;
        sent += static_cast<std::size_t>(n);
    }
}

// The request target of the first line, or "" when no complete request head arrived.
std::string read_target(int fd) {
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    std::string head;
    char buf[2048];
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 16'384) {
        const auto n = ::recv(fd, buf, sizeof(buf), 0);
        if (n <= 0) break;
        head.append(buf, static_cast<std::size_t>(n));
    }
    const auto line_end = head.find("\r\n");
    if (line_end == std::string::npos) return {};
    const auto line = head.substr(0, line_end);
    const auto sp1 = line.find(' ');
    const auto sp2 = line.rfind(' ');
    if (sp1 == std::string::npos || sp2 <= sp1 || line.substr(0, sp1) != "GET") return {};
    return line.substr(sp1 + 1, sp2 - sp1 - 1);
}

}  // namespace

LoopbackCallback::LoopbackCallback(unsigned short port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw OAuthFlowError(std::string("cannot open a socket: ") + std::strerror(errno));
    const int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::listen(fd_, 8) != 0) {
        const std::string why = std::strerror(errno);
        ::close(fd_);
        fd_ = -1;
        throw OAuthFlowError("cannot listen on 127.0.0.1:" + std::to_string(port) +
                             " for the login callback (" + why +
                             "); free the port or set callback_port in the auth-oauth config "
                             "(the authorization server must accept that redirect URI)");
    }
}

LoopbackCallback::~LoopbackCallback() {
    if (fd_ >= 0) ::close(fd_);
}

std::optional<std::map<std::string, std::string>> LoopbackCallback::wait(
    std::chrono::milliseconds timeout, const std::string& expected_state) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd p{fd_, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
        if (ready <= 0) continue;
        const int conn = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (conn < 0) continue;
        const auto target = read_target(conn);
        const auto q = target.find('?');
        const auto path = target.substr(0, q);
        if (path != "/callback") {
            answer(conn, 404, "Not Found", "Not found.");
            ::close(conn);
            continue;
        }
        auto params = parse_query(q == std::string::npos ? std::string_view()
                                                         : std::string_view(target).substr(q + 1));
        if (params["state"] != expected_state) {
            answer(conn, 400, "Bad Request",
                   "This sign-in answer does not belong to the login mcpproxy is waiting for.");
            ::close(conn);
            continue;
        }
        if (params.count("error") != 0) {
            answer(conn, 200, "OK", "Sign-in was not completed. You can close this window.");
        } else {
            answer(conn, 200, "OK", "Signed in. You can close this window and return to mcpproxy.");
        }
        ::close(conn);
        return params;
    }
}

}  // namespace mcpproxy::oauth
