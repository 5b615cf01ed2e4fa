#include "kernel/net/io_pool.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "kernel/net/listener.hpp"
#include "kernel/net/responses.hpp"
#include "kernel/util/thread_name.hpp"
#include "tests/support/raw_http.hpp"

namespace mcpproxy::net {
namespace {

using namespace std::chrono_literals;

std::string request_line(const std::string& target) {
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

// Which I/O thread served each request, by the name the client gave its connection.
struct ThreadLog {
    std::mutex mutex;
    std::map<std::string, std::set<std::thread::id>> by_connection;

    void note(const std::string& connection) {
        std::lock_guard lock(mutex);
        by_connection[connection].insert(std::this_thread::get_id());
    }
};

class IoPoolListenerTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto context = std::make_shared<ListenerContext>();
        context->name = "test";
        context->log = std::make_shared<spdlog::logger>(
            "test", std::make_shared<spdlog::sinks::null_sink_mt>());
        auto routes = std::make_shared<RouteTable>();
        routes->add_prefix("/", [log = &threads_](HttpExchange& ex) -> Awaitable<void> {
            log->note(std::string(ex.request().target()));
            co_await ex.respond(text_response(http::status::ok, ex.request(), "ok", "text/plain"));
        });
        context->routes = std::move(routes);
        listener_ = std::make_shared<Listener>(pool_.main(), util::HostPort{"127.0.0.1", 0},
                                               context, &pool_);
        port_ = listener_->bind().port;
        listener_->start();
        pool_.start();
    }

    void TearDown() override {
        listener_->stop_accepting();
        pool_.stop();
        pool_.join();
    }

    // Open connections on each context, as the pool counts them.
    std::vector<std::size_t> open_per_context() {
        std::vector<std::size_t> counts;
        for (std::size_t i = 0; i < pool_.size(); ++i) counts.push_back(pool_.open_connections(i));
        return counts;
    }

    bool wait_for_counts(const std::vector<std::size_t>& expected) {
        for (int i = 0; i < 200; ++i) {
            if (open_per_context() == expected) return true;
            std::this_thread::sleep_for(10ms);
        }
        return false;
    }

    IoPool pool_{2};
    ThreadLog threads_;
    std::shared_ptr<Listener> listener_;
    unsigned short port_ = 0;
};

TEST(IoPool, ATieGoesToTheLowestIndexAndOtherwiseToTheFewestConnections) {
    IoPool pool(3);
    EXPECT_EQ(pool.least_loaded(), 0U);
    pool.connection_opened(0);
    EXPECT_EQ(pool.least_loaded(), 1U);
    pool.connection_opened(1);
    pool.connection_opened(1);
    EXPECT_EQ(pool.least_loaded(), 2U);
    pool.connection_opened(2);
    EXPECT_EQ(pool.least_loaded(), 0U);
    pool.connection_closed(1);
    pool.connection_closed(1);
    EXPECT_EQ(pool.least_loaded(), 1U);
}

TEST(IoPool, UpstreamsAreSpreadRoundRobinStartingWithMain) {
    IoPool pool(2);
    EXPECT_EQ(&pool.next_for_upstream(), &pool.main());
    EXPECT_EQ(&pool.next_for_upstream(), &pool.at(1));
    EXPECT_EQ(&pool.next_for_upstream(), &pool.main());
}

TEST(IoPool, ZeroThreadsMeansOne) {
    IoPool pool(0);
    EXPECT_EQ(pool.size(), 1U);
}

TEST(IoPool, IdleContextsKeepRunningUntilStopped) {
    IoPool pool(2);
    pool.start();
    std::this_thread::sleep_for(50ms);
    std::promise<std::thread::id> ran;
    boost::asio::post(pool.at(1), [&] { ran.set_value(std::this_thread::get_id()); });
    auto future = ran.get_future();
    ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
    EXPECT_NE(future.get(), std::this_thread::get_id());
    pool.stop();
    pool.join();
    EXPECT_TRUE(pool.at(0).stopped());
    EXPECT_TRUE(pool.at(1).stopped());
}

TEST(IoPool, EachThreadIsNamedAfterItsContext) {
    IoPool pool(2);
    pool.start();
    for (std::size_t i = 0; i < pool.size(); ++i) {
        std::promise<std::string> name;
        boost::asio::post(pool.at(i), [&] { name.set_value(util::this_thread_name()); });
        auto future = name.get_future();
        ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
        EXPECT_EQ(future.get(), "mcpproxy-io" + std::to_string(i));
    }
    pool.stop();
    pool.join();
}

TEST(IoPool, AQueuedHandlerOwningAnIoObjectOfAnotherContextIsDestroyedSafely) {
    // An upstream's coroutine waits on one context while its timer lives on another; at
    // shutdown the handler is destroyed, not run. Under ASan this was a use-after-free of the
    // first context's timer service.
    auto pool = std::make_unique<IoPool>(2);
    auto timer = std::make_shared<boost::asio::steady_timer>(pool->at(0));
    boost::asio::post(pool->at(1), [timer] { (void)timer; });
    timer.reset();
    pool.reset();
    SUCCEED();
}

TEST_F(IoPoolListenerTest, EachConnectionStaysOnOneThreadAndConnectionsSpreadOverThreads) {
    test::RawConnection first(port_);
    test::RawConnection second(port_);
    for (int round = 0; round < 5; ++round) {
        first.send(request_line("/first"));
        second.send(request_line("/second"));
        ASSERT_TRUE(first.read_response().has_value());
        ASSERT_TRUE(second.read_response().has_value());
    }
    ASSERT_TRUE(wait_for_counts({1, 1}));
    std::lock_guard lock(threads_.mutex);
    ASSERT_EQ(threads_.by_connection["/first"].size(), 1U);
    ASSERT_EQ(threads_.by_connection["/second"].size(), 1U);
    EXPECT_NE(*threads_.by_connection["/first"].begin(),
              *threads_.by_connection["/second"].begin());
}

TEST_F(IoPoolListenerTest, ClosedConnectionsAreCountedOffSoALoneClientGetsTheFirstThread) {
    {
        test::RawConnection first(port_);
        test::RawConnection second(port_);
        first.send(request_line("/a"));
        second.send(request_line("/b"));
        ASSERT_TRUE(first.read_response().has_value());
        ASSERT_TRUE(second.read_response().has_value());
        ASSERT_TRUE(wait_for_counts({1, 1}));
    }
    ASSERT_TRUE(wait_for_counts({0, 0}));
    test::RawConnection lone(port_);
    lone.send(request_line("/lone"));
    ASSERT_TRUE(lone.read_response().has_value());
    EXPECT_EQ(open_per_context(), (std::vector<std::size_t>{1, 0}));
}

}  // namespace
}  // namespace mcpproxy::net
