#pragma once

#include <atomic>
#include <boost/asio.hpp>
#include <mutex>
#include <string>
#include <thread>

namespace mcpproxy::test {

// A one-route HTTP server on 127.0.0.1 serving a JWKS document that the test can change, and
// counting how often it was fetched.
class JwksServer {
public:
    JwksServer();
    ~JwksServer();
    void set_body(std::string body);
    [[nodiscard]] unsigned short port() const { return port_; }
    [[nodiscard]] int fetches() const { return fetches_.load(); }
    [[nodiscard]] std::string url() const;

private:
    void serve();

    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    unsigned short port_ = 0;
    std::mutex mutex_;
    std::string body_ = R"({"keys":[]})";
    std::atomic<int> fetches_{0};
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace mcpproxy::test
