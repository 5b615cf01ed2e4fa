#pragma once

#include <cstddef>
#include <memory>
#include <unordered_set>
#include <vector>

#include "kernel/upstream/http/http_connection.hpp"

namespace mcpproxy::upstream::http {

class HttpConnectionPool;

// A connection checked out of the pool for one exchange. Dropping a lease closes the
// connection; release() hands it back for reuse when its response was read to the end.
class ConnectionLease {
public:
    ConnectionLease() = default;
    ConnectionLease(HttpConnectionPool* pool, std::shared_ptr<HttpConnection> connection,
                    bool reused)
        : pool_(pool), connection_(std::move(connection)), reused_(reused) {}
    ConnectionLease(ConnectionLease&& other) noexcept;
    ConnectionLease& operator=(ConnectionLease&& other) noexcept;
    ConnectionLease(const ConnectionLease&) = delete;
    ConnectionLease& operator=(const ConnectionLease&) = delete;
    ~ConnectionLease();

    HttpConnection* operator->() const { return connection_.get(); }
    HttpConnection& operator*() const { return *connection_; }
    explicit operator bool() const { return connection_ != nullptr; }
    // Whether the connection carried an earlier exchange (so the server may have closed it).
    [[nodiscard]] bool reused() const { return reused_; }
    // Returns the connection to the idle pool if its response allows it, else closes it.
    void release();
    // Closes the connection.
    void discard();

private:
    HttpConnectionPool* pool_ = nullptr;
    std::shared_ptr<HttpConnection> connection_;
    bool reused_ = false;
};

// Keep-alive connections to one upstream: up to max_idle idle ones kept for reuse, and a
// record of the busy ones so close_all() can cancel them. Not thread-safe: used on one strand.
//
// max_idle should cover the calls a busy upstream has in flight at once: with 8, 32 concurrent
// calls closed 24 connections after every round and opened 24 new ones (TIME_WAIT piles, and a
// connect per call on both sides).
//
// An idle connection is reused only while younger than max_idle_age: Node and uvicorn servers
// drop idle connections after 5 s, and a request sent just as the server closes would fail.
// Older ones are closed when the next connection comes back to the pool.
class HttpConnectionPool {
public:
    HttpConnectionPool(boost::asio::any_io_executor executor,
                       std::shared_ptr<boost::asio::ssl::context> tls, bool verify_peer,
                       std::size_t max_idle = 64,
                       std::chrono::milliseconds max_idle_age = std::chrono::seconds(4));
    ~HttpConnectionPool();

    // The most recently used idle connection that still looks alive, or an empty lease.
    ConnectionLease take_idle();
    // A new, unconnected connection.
    ConnectionLease make_new();
    // Cancels the exchanges in progress by closing their connections; idle ones stay.
    void cancel_busy();
    // Closes every connection, idle or busy; connections handed back later are closed too.
    void close_all();

    [[nodiscard]] std::size_t idle_count() const { return idle_.size(); }
    [[nodiscard]] std::size_t busy_count() const { return busy_.size(); }
    [[nodiscard]] std::size_t connections_made() const { return made_; }

private:
    friend class ConnectionLease;
    void give_back(std::shared_ptr<HttpConnection> connection);
    void close_expired(HttpConnection::Clock::time_point now);
    void forget(const std::shared_ptr<HttpConnection>& connection);

    boost::asio::any_io_executor executor_;
    std::shared_ptr<boost::asio::ssl::context> tls_;
    bool verify_peer_;
    std::size_t max_idle_;
    std::chrono::milliseconds max_idle_age_;
    std::vector<std::shared_ptr<HttpConnection>> idle_;
    std::unordered_set<HttpConnection*> busy_;
    std::size_t made_ = 0;
    bool closed_ = false;
};

}  // namespace mcpproxy::upstream::http
