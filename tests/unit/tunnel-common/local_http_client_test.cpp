// The kernel's LocalHttpClient (what Host::http() hands tunnel adapters) against a tiny
// one-shot server on loopback TCP and on a unix socket.
#include "kernel/plugins/local_http_client.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <filesystem>
#include <thread>

#include "mcpproxy/tunnel_common/local_json.hpp"

namespace mcpproxy::plugins {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;

template <class Acceptor>
std::thread serve_once(Acceptor& acceptor, std::string reply, std::string* request_seen,
                       std::chrono::milliseconds delay = 0ms) {
    return std::thread([&acceptor, reply = std::move(reply), request_seen, delay] {
        auto socket = acceptor.accept();
        asio::streambuf buffer;
        boost::system::error_code ec;
        asio::read_until(socket, buffer, "\r\n\r\n", ec);
        if (request_seen != nullptr) {
            *request_seen =
                std::string(asio::buffers_begin(buffer.data()), asio::buffers_end(buffer.data()));
        }
        std::this_thread::sleep_for(delay);
        asio::write(socket, asio::buffer(reply), ec);
        socket.shutdown(asio::socket_base::shutdown_both, ec);
    });
}

TEST(LocalHttpClient, GetsJsonOverTcp) {
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    std::string seen;
    auto server = serve_once(acceptor,
                             "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                             "28\r\n\r\n{\"hostname\":\"a.example.com\"}",
                             &seen);
    LocalHttpClient client;
    const auto port = std::to_string(acceptor.local_endpoint().port());
    const auto reply = tunnel_common::get_json(client, "http://127.0.0.1:" + port + "/quicktunnel");
    server.join();
    ASSERT_TRUE(reply.json) << reply.error;
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.json->at("hostname"), "a.example.com");
    EXPECT_NE(seen.find("GET /quicktunnel HTTP/1.1"), std::string::npos) << seen;
    EXPECT_NE(seen.find("Host: 127.0.0.1:" + port), std::string::npos) << seen;
}

TEST(LocalHttpClient, GetsOverAUnixSocket) {
    asio::io_context io;
    const auto path =
        std::filesystem::temp_directory_path() / ("t1-lhc-" + std::to_string(::getpid()) + ".sock");
    std::filesystem::remove(path);
    asio::local::stream_protocol::acceptor acceptor(
        io, asio::local::stream_protocol::endpoint(path.string()));
    auto server =
        serve_once(acceptor, "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}", nullptr);
    LocalHttpClient client;
    sdk::HttpClientRequest request;
    request.url = "unix://" + path.string() + ":/localapi/v0/whois?addr=1.2.3.4";
    const auto response = client.send(request);
    server.join();
    std::filesystem::remove(path);
    EXPECT_EQ(response.status, 404) << response.error;
    EXPECT_EQ(response.body, "{}");
}

TEST(LocalHttpClient, TimesOutAndReportsRefusedConnections) {
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    auto server =
        serve_once(acceptor, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", nullptr, 600ms);
    LocalHttpClient client;
    sdk::HttpClientRequest request;
    request.url = "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/ready";
    request.timeout = 150ms;
    const auto started = std::chrono::steady_clock::now();
    const auto slow = client.send(request);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 500ms);
    EXPECT_EQ(slow.status, 0);
    EXPECT_NE(slow.error.find("no answer"), std::string::npos) << slow.error;
    server.join();
    acceptor.close();
    const auto refused = client.send(request);
    EXPECT_EQ(refused.status, 0);
    EXPECT_FALSE(refused.error.empty());
    request.url = "ftp://x";
    EXPECT_NE(client.send(request).error.find("unsupported URL"), std::string::npos);
}

}  // namespace
}  // namespace mcpproxy::plugins
