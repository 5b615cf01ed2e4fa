#include "kernel/upstream/http/http_connection_pool.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "kernel/upstream/http/http_request_head.hpp"
#include "tests/unit/upstream_http/fake_mcp_server.hpp"

namespace mcpproxy::upstream::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// `in_flight` echo exchanges at once, each on its own connection, all read to the end and handed
// back to the pool.
asio::awaitable<void> exchange_at_once(HttpConnectionPool& pool, const UpstreamUrl& url,
                                       int in_flight) {
    const RequestHeadBuilder heads(url, {});
    const std::string body = R"({"jsonrpc":"2.0","id":1,"method":"echo","params":{}})";
    const std::string head = heads.post(body.size(), SessionHeaders{});
    std::vector<ConnectionLease> leases;
    for (int i = 0; i < in_flight; ++i) {
        leases.push_back(pool.make_new());
        co_await leases.back()->connect(url, 5s);
        co_await leases.back()->write(head, body, 5s);
    }
    for (auto& lease : leases) {
        co_await lease->read_header();
        while (!(co_await lease->read_body_some()).empty()) {
        }
    }
    for (auto& lease : leases) lease.release();
}

TEST(HttpConnectionPool, KeepsTheConnectionsOfABusyMomentForTheNextOne) {
    test::FakeMcpServer server(test::FakeMcpServer::Options{.issue_session = false});
    const auto url = parse_upstream_url(server.url());
    asio::io_context io;
    HttpConnectionPool pool(io.get_executor(), nullptr, false);
    constexpr int kInFlight = 32;  // the calls a bench run at 32 sessions has in flight
    auto done = asio::co_spawn(io, exchange_at_once(pool, url, kInFlight), asio::use_future);
    io.run_for(10s);
    ASSERT_EQ(done.wait_for(0s), std::future_status::ready);
    done.get();
    EXPECT_EQ(pool.busy_count(), 0U);
    EXPECT_EQ(pool.idle_count(), static_cast<std::size_t>(kInFlight));
    pool.close_all();
}

TEST(HttpConnectionPool, ClosesIdleConnectionsTooOldToReuseWhenAnotherComesBack) {
    test::FakeMcpServer server(test::FakeMcpServer::Options{.issue_session = false});
    const auto url = parse_upstream_url(server.url());
    asio::io_context io;
    HttpConnectionPool pool(io.get_executor(), nullptr, false, 64, 50ms);
    auto run = [&](int in_flight) {
        auto done = asio::co_spawn(io, exchange_at_once(pool, url, in_flight), asio::use_future);
        io.restart();
        io.run_for(10s);
        ASSERT_EQ(done.wait_for(0s), std::future_status::ready);
        done.get();
    };
    run(3);
    EXPECT_EQ(pool.idle_count(), 3U);
    std::this_thread::sleep_for(80ms);
    run(1);
    EXPECT_EQ(pool.idle_count(), 1U) << "the three expired connections stayed open";
    run(2);
    EXPECT_EQ(pool.idle_count(), 3U) << "young idle connections must be kept";
    pool.close_all();
}

}  // namespace
}  // namespace mcpproxy::upstream::http
