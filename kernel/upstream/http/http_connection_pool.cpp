#include "kernel/upstream/http/http_connection_pool.hpp"

namespace mcpproxy::upstream::http {

ConnectionLease::ConnectionLease(ConnectionLease&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)), reused_(other.reused_) {
    other.pool_ = nullptr;
}

ConnectionLease& ConnectionLease::operator=(ConnectionLease&& other) noexcept {
    if (this != &other) {
        discard();
        pool_ = other.pool_;
        connection_ = std::move(other.connection_);
        reused_ = other.reused_;
        other.pool_ = nullptr;
    }
    return *this;
}

ConnectionLease::~ConnectionLease() {
    discard();
}

void ConnectionLease::release() {
    if (!connection_) return;
    if (pool_) {
        pool_->give_back(std::move(connection_));
    } else {
        connection_->close();
    }
    connection_.reset();
}

void ConnectionLease::discard() {
    if (!connection_) return;
    connection_->close();
    if (pool_) pool_->forget(connection_);
    connection_.reset();
}

HttpConnectionPool::HttpConnectionPool(boost::asio::any_io_executor executor,
                                       std::shared_ptr<boost::asio::ssl::context> tls,
                                       bool verify_peer, std::size_t max_idle,
                                       std::chrono::milliseconds max_idle_age)
    : executor_(std::move(executor)),
      tls_(std::move(tls)),
      verify_peer_(verify_peer),
      max_idle_(max_idle),
      max_idle_age_(max_idle_age) {}

HttpConnectionPool::~HttpConnectionPool() {
    close_all();
}

ConnectionLease HttpConnectionPool::take_idle() {
    const auto now = HttpConnection::Clock::now();
    while (!idle_.empty()) {
        auto connection = std::move(idle_.back());
        idle_.pop_back();
        // The peek costs a syscall, but a POST written to a connection the server has just
        // closed cannot safely be sent again.
        if (now - connection->idle_since() < max_idle_age_ && connection->looks_alive()) {
            busy_.insert(connection.get());
            return ConnectionLease(this, std::move(connection), true);
        }
        connection->close();
    }
    return {};
}

ConnectionLease HttpConnectionPool::make_new() {
    auto connection = std::make_shared<HttpConnection>(executor_, tls_, verify_peer_);
    if (closed_) connection->close();
    busy_.insert(connection.get());
    ++made_;
    return ConnectionLease(this, std::move(connection), false);
}

void HttpConnectionPool::give_back(std::shared_ptr<HttpConnection> connection) {
    busy_.erase(connection.get());
    if (closed_ || !connection->reusable()) {
        connection->close();
        return;
    }
    connection->mark_idle();
    close_expired(connection->idle_since());
    if (idle_.size() >= max_idle_) {
        connection->close();
        return;
    }
    idle_.push_back(std::move(connection));
}

// The oldest idle connections are at the front. One idle past max_idle_age will not be reused:
// close it now, or it lingers half-closed once the server drops it, until the next quiet spell
// empties the pool from the back.
void HttpConnectionPool::close_expired(HttpConnection::Clock::time_point now) {
    std::size_t expired = 0;
    while (expired < idle_.size() && now - idle_[expired]->idle_since() >= max_idle_age_) {
        idle_[expired]->close();
        ++expired;
    }
    idle_.erase(idle_.begin(), idle_.begin() + static_cast<std::ptrdiff_t>(expired));
}

void HttpConnectionPool::forget(const std::shared_ptr<HttpConnection>& connection) {
    busy_.erase(connection.get());
}

void HttpConnectionPool::cancel_busy() {
    // Closing cancels their pending operations; their owners drop the leases afterwards.
    for (auto* connection : busy_) connection->close();
}

void HttpConnectionPool::close_all() {
    closed_ = true;
    for (auto& connection : idle_) connection->close();
    idle_.clear();
    cancel_busy();
}

}  // namespace mcpproxy::upstream::http
