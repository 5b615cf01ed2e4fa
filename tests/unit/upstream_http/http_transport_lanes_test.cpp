// Per-thread connections: a call made on one of the I/O threads the transport was given as lanes
// runs on that thread's own connections, without a hop to the upstream's strand.
#include <gtest/gtest.h>

#include <set>

#include "fake_mcp_server.hpp"
#include "transport_harness.hpp"

namespace mcpproxy::test {
namespace {
using namespace std::chrono_literals;
using nlohmann::json;

int connection_of_call(const FakeMcpServer& server, int id) {
    for (const auto& r : server.requests()) {
        if (r.verb == "POST" && json::parse(r.body, nullptr, false).value("id", -1) == id) {
            return r.connection;
        }
    }
    return -1;
}

// The thread on_message ran on for the message with this id (and no method: the response).
std::optional<std::thread::id> thread_of_response(const TransportHarness& h, int id) {
    const auto messages = h.messages();
    const auto threads = h.message_threads();
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const auto& m = messages[i].message;
        if (m.value("id", -1) == id && !m.contains("method")) return threads[i];
    }
    return std::nullopt;
}

// A fake upstream and a transport with two lanes, initialized from the strand as the upstream
// manager does.
class HttpTransportLanes : public ::testing::Test {
protected:
    void SetUp() override {
        h.open();
        h.initialize();
    }

    // An echo call made on `lane`; whether its reply came.
    [[nodiscard]] bool echo_on(std::size_t lane, int id) {
        h.send_on(lane, request(id, "echo"));
        return h.wait_response(id).has_value();
    }

    FakeMcpServer server;
    TransportHarness h{TransportHarness::config_for(server.url()), false, nullptr, true};
};

TEST_F(HttpTransportLanes, EachLaneCarriesItsCallsOnItsOwnConnectionAndThread) {
    ASSERT_TRUE(echo_on(0, 2));
    ASSERT_TRUE(echo_on(1, 3));
    ASSERT_TRUE(echo_on(0, 4));

    // Lane 0 reuses its own connection; lane 1 has another (one shared pool would have reused
    // lane 0's idle connection for lane 1's call).
    EXPECT_EQ(connection_of_call(server, 2), connection_of_call(server, 4));
    EXPECT_NE(connection_of_call(server, 3), connection_of_call(server, 2));
    // Each reply was read and delivered on the thread that made the call.
    EXPECT_EQ(thread_of_response(h, 2), h.lane_thread(0));
    EXPECT_EQ(thread_of_response(h, 3), h.lane_thread(1));
    EXPECT_EQ(thread_of_response(h, 4), h.lane_thread(0));
}

TEST_F(HttpTransportLanes, RepeatedCallsOnALaneOpenNoNewConnections) {
    ASSERT_TRUE(echo_on(1, 2));
    std::set<int> connections;
    for (int id = 10; id < 20; ++id) {
        ASSERT_TRUE(echo_on(1, id)) << id;
        connections.insert(connection_of_call(server, id));
    }
    EXPECT_EQ(connections, std::set<int>{connection_of_call(server, 2)});
}

TEST_F(HttpTransportLanes, AStreamCutOnALaneIsResumedAndAnswered) {
    h.send_on(1, request(9, "break"));
    const auto reply = h.wait_response(9);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->message["result"]["resumed"], true);
    // The notification before the cut was read on the lane that made the call.
    const auto messages = h.messages();
    const auto threads = h.message_threads();
    bool saw_progress = false;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        if (messages[i].message.value("method", "") == "notifications/progress") {
            saw_progress = true;
            EXPECT_EQ(threads[i], h.lane_thread(1));
        }
    }
    EXPECT_TRUE(saw_progress);
}

TEST_F(HttpTransportLanes, CloseEndsTheStreamsOfEveryLane) {
    h.send_on(1, request(4, "hang"));  // returns once the headers are in; the body never ends
    h.close();
    EXPECT_TRUE(server.wait_hang_closed(2s));
    EXPECT_TRUE(h.closed_reasons().empty()) << "on_closed must not report a requested close";
    EXPECT_FALSE(h.wait_response(4, 100ms)) << "no made-up error after a requested close";
}

TEST_F(HttpTransportLanes, AnExpiredSessionSeenOnALaneClosesTheTransportOnce) {
    server.expire_session();
    std::string error;
    try {
        h.send_on(1, request(2, "echo"));
    } catch (const std::exception& e) {
        error = e.what();
    }
    EXPECT_NE(error.find("session expired"), std::string::npos) << error;
    EXPECT_EQ(h.closed_reasons(), std::vector<std::string>{"upstream session expired"});
    try {
        h.send_on(0, request(3, "echo"));
        ADD_FAILURE() << "a send after the session expired must fail";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("session expired"), std::string::npos) << e.what();
    }
    EXPECT_EQ(h.closed_reasons().size(), 1U);
}

}  // namespace
}  // namespace mcpproxy::test
