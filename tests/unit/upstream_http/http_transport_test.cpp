#include <gtest/gtest.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <set>

#include "fake_mcp_server.hpp"
#include "transport_harness.hpp"

namespace mcpproxy::test {
namespace {
using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

const std::string kToken = "Bearer s3cr3t-token-value";
const std::string kApiKey = "k-0123456789abcdef";

std::string header(const RecordedRequest& r, const std::string& name) {
    const auto it = r.headers.find(name);
    return it == r.headers.end() ? std::string("<absent>") : it->second;
}

std::vector<RecordedRequest> posts_of(const FakeMcpServer& server, const std::string& rpc_method) {
    std::vector<RecordedRequest> out;
    for (auto& r : server.requests()) {
        if (r.verb == "POST" && r.rpc_method == rpc_method) out.push_back(r);
    }
    return out;
}

// The GETs that resume a stream (the background GET stream carries no Last-Event-ID at first).
std::vector<RecordedRequest> resume_gets(const FakeMcpServer& server) {
    std::vector<RecordedRequest> out;
    for (auto& r : server.requests_with("GET")) {
        if (r.headers.contains("last-event-id")) out.push_back(r);
    }
    return out;
}

// The connections that carried the POSTs of this JSON-RPC method.
std::set<int> connections_of(const FakeMcpServer& server, const std::string& rpc_method) {
    std::set<int> out;
    for (const auto& r : posts_of(server, rpc_method)) out.insert(r.connection);
    return out;
}

// After initialize the transport probes the GET stream (the fake answers 405); let that exchange
// finish so it does not race the requests a test counts connections for.
void let_get_probe_finish(FakeMcpServer& server) {
    server.wait_for(
        [](const auto& all) {
            for (const auto& r : all) {
                if (r.verb == "GET") return true;
            }
            return false;
        },
        2s);
    std::this_thread::sleep_for(50ms);
}

std::string send_error(TransportHarness& h, const json& message) {
    try {
        h.send(message);
    } catch (const std::exception& e) {
        return e.what();
    }
    return "<no error>";
}

TEST(HttpTransport, JsonReplyIsDeliveredWithTheRequestId) {
    FakeMcpServer server;
    TransportHarness h(server.url());
    h.open();
    h.initialize();
    h.send(request(2, "echo", {{"x", 1}}));
    const auto reply = h.wait_response(2);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->message["result"]["echo"]["x"], 1);
    ASSERT_TRUE(reply->related_request_id);
    EXPECT_EQ(*reply->related_request_id, 2);
}

TEST(HttpTransport, WorksOnTheCallersStrandToo) {
    FakeMcpServer server;
    TransportHarness h(TransportHarness::config_for(server.url()), /*on_strand=*/true);
    h.open();
    h.initialize();
    h.on_message([&](const upstream::IncomingMessage& m) {
        if (m.message.value("method", "") == "notifications/progress") server.release_result();
    });
    h.send(request(2, "echo"));
    EXPECT_TRUE(h.wait_response(2));
    h.send(request(3, "progress"));
    EXPECT_TRUE(h.wait_response(3));
    h.send(request(4, "break"));
    EXPECT_TRUE(h.wait_response(4));
}

TEST(HttpTransport, JsonArrayReplyDeliversEachElementInOrder) {
    FakeMcpServer server;
    TransportHarness h(server.url());
    h.open();
    h.initialize();
    h.send(request(3, "batch"));
    ASSERT_TRUE(h.wait_response(3));
    const auto all = h.messages();
    ASSERT_GE(all.size(), 3u);
    const auto& note = all[all.size() - 2];
    EXPECT_EQ(note.message["method"], "notifications/message");
    ASSERT_TRUE(note.related_request_id);
    EXPECT_EQ(*note.related_request_id, 3);
    EXPECT_EQ(all.back().message["result"]["batched"], true);
}

TEST(HttpTransport, SseEventsArriveWhileTheStreamIsStillOpen) {
    FakeMcpServer server;
    TransportHarness h(server.url());
    h.open();
    h.initialize();
    // The fake holds the result back until the notification has reached us.
    h.on_message([&](const upstream::IncomingMessage& m) {
        if (m.message.value("method", "") == "notifications/progress") server.release_result();
    });
    h.send(request(5, "progress"));
    const auto reply = h.wait_response(5);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->message["result"]["done"], true);
    ASSERT_TRUE(server.result_was_released().has_value());
    EXPECT_TRUE(*server.result_was_released())
        << "the progress notification was not delivered before the result was sent";
    const auto all = h.messages();
    std::vector<std::string> order;
    for (const auto& m : all) {
        if (m.related_request_id && *m.related_request_id == 5) {
            order.push_back(m.message.contains("method") ? m.message["method"].get<std::string>()
                                                         : "result");
        }
    }
    EXPECT_EQ(order, (std::vector<std::string>{"notifications/progress", "result"}));
}

TEST(HttpTransport, SessionIdAndProtocolVersionGoOnLaterRequests) {
    FakeMcpServer server;
    TransportHarness h(server.url());
    h.open();
    h.initialize("2025-06-18");
    EXPECT_EQ(h.transport().session_id(), server.session_id());
    h.send(request(2, "echo"));
    ASSERT_TRUE(h.wait_response(2));

    const auto init = posts_of(server, "initialize");
    ASSERT_EQ(init.size(), 1u);
    EXPECT_EQ(header(init[0], "mcp-session-id"), "<absent>");
    EXPECT_EQ(header(init[0], "mcp-protocol-version"), "<absent>");
    EXPECT_EQ(header(init[0], "accept"), "application/json, text/event-stream");
    EXPECT_EQ(header(init[0], "content-type"), "application/json");
    for (const char* method : {"notifications/initialized", "echo"}) {
        const auto later = posts_of(server, method);
        ASSERT_EQ(later.size(), 1u) << method;
        EXPECT_EQ(header(later[0], "mcp-session-id"), server.session_id()) << method;
        EXPECT_EQ(header(later[0], "mcp-protocol-version"), "2025-06-18") << method;
    }
}

TEST(HttpTransport, ExpiredSessionClosesTheTransport) {
    FakeMcpServer server;
    TransportHarness h(server.url());
    h.open();
    h.initialize();
    server.expire_session();
    const std::string error = send_error(h, request(2, "echo"));
    EXPECT_NE(error.find("session expired"), std::string::npos) << error;
    // on_closed ran before send() threw.
    EXPECT_EQ(h.closed_reasons(), std::vector<std::string>{"upstream session expired"});
    // Dead for good: the client above makes a new transport and initializes again.
    EXPECT_NE(send_error(h, request(3, "echo")).find("session expired"), std::string::npos);
    EXPECT_EQ(h.closed_reasons().size(), 1u);
}

TEST(HttpTransport, SequentialRequestsReuseOneConnection) {
    FakeMcpServer server;
    TransportHarness h(server.url());
    h.open();
    h.initialize();
    let_get_probe_finish(server);
    const int before = server.connections();
    for (int id = 10; id < 20; ++id) {
        h.send(request(id, "echo"));
        ASSERT_TRUE(h.wait_response(id)) << id;
    }
    EXPECT_EQ(posts_of(server, "echo").size(), 10u);
    EXPECT_EQ(connections_of(server, "echo").size(), 1u);
    EXPECT_EQ(server.connections(), before);
    EXPECT_EQ(before, 1) << "initialize, the notification and the GET probe ran one after another";
}

TEST(HttpTransport, SseRepliesAlsoGiveTheirConnectionBack) {
    FakeMcpServer server;
    TransportHarness h(server.url());
    h.open();
    h.initialize();
    let_get_probe_finish(server);
    h.on_message([&](const upstream::IncomingMessage& m) {
        if (m.message.value("method", "") == "notifications/progress") server.release_result();
    });
    for (int id = 10; id < 13; ++id) {
        h.send(request(id, "progress"));
        ASSERT_TRUE(h.wait_response(id)) << id;
        // The stream's end (the last chunk) may trail the result by a moment.
        std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(connections_of(server, "progress").size(), 1u);
}

TEST(HttpTransport, ReplacesAConnectionTheServerDroppedWhileIdle) {
    FakeMcpServer server;
    TransportHarness h(server.url());
    h.open();
    h.initialize();
    h.send(request(2, "echo_then_close"));
    ASSERT_TRUE(h.wait_response(2));
    std::this_thread::sleep_for(50ms);
    h.send(request(3, "echo"));
    ASSERT_TRUE(h.wait_response(3));
    EXPECT_NE(connections_of(server, "echo_then_close"), connections_of(server, "echo"));
}

TEST(HttpTransport, ConcurrentSendsFromManyThreadsAllGetTheirReplies) {
    FakeMcpServer server;
    TransportHarness h(server.url());
    h.open();
    h.initialize();
    std::vector<std::thread> senders;
    for (int t = 0; t < 4; ++t) {
        senders.emplace_back([&h, t] {
            for (int i = 0; i < 10; ++i) h.send(request(100 + t * 10 + i, "echo"));
        });
    }
    for (auto& s : senders) s.join();
    for (int id = 100; id < 140; ++id) EXPECT_TRUE(h.wait_response(id)) << id;
    EXPECT_LE(server.connections(), 8);
}

TEST(HttpTransport, ConfiguredHeadersAreSentOnEveryRequest) {
    FakeMcpServer server;
    auto config = TransportHarness::config_for(server.url());
    config.headers = {{"Authorization", kToken}, {"X-Api-Key", kApiKey}};
    TransportHarness h(config);
    h.open();
    h.initialize();
    for (const auto& r : server.requests()) {
        EXPECT_EQ(header(r, "authorization"), kToken) << r.rpc_method;
        EXPECT_EQ(header(r, "x-api-key"), kApiKey) << r.rpc_method;
        EXPECT_EQ(header(r, "host"), server.url().substr(7, server.url().size() - 7 - 4));
    }
}

TEST(HttpTransport, ServerErrorNamesTheStatusButNoHeaderValue) {
    FakeMcpServer server;
    auto config = TransportHarness::config_for(server.url());
    config.headers = {{"Authorization", kToken}, {"X-Api-Key", kApiKey}};
    TransportHarness h(config);
    h.open();
    h.initialize();
    let_get_probe_finish(server);
    const std::string error = send_error(h, request(2, "fail500"));
    EXPECT_NE(error.find("upstream answered HTTP 500"), std::string::npos) << error;
    EXPECT_NE(error.find("boom"), std::string::npos) << error;
    EXPECT_EQ(error.find("s3cr3t-token-value"), std::string::npos) << error;
    EXPECT_EQ(error.find(kApiKey), std::string::npos) << error;
    const std::string log = h.log_text();
    EXPECT_EQ(log.find("s3cr3t-token-value"), std::string::npos) << log;
    EXPECT_EQ(log.find(kApiKey), std::string::npos) << log;
    // The connection survives an error answer that was read to the end.
    h.send(request(3, "echo"));
    EXPECT_TRUE(h.wait_response(3));
    EXPECT_EQ(connections_of(server, "fail500"), connections_of(server, "echo"));
}

TEST(HttpTransport, UnauthorizedSaysAuthenticationIsRequiredAndKeepsTheChallenge) {
    FakeMcpServer server;
    TransportHarness h(server.url());
    h.open();
    h.initialize();
    const std::string error = send_error(h, request(2, "unauthorized"));
    EXPECT_NE(error.find("requires authentication (HTTP 401)"), std::string::npos) << error;
    const auto challenge = h.transport().www_authenticate();
    ASSERT_TRUE(challenge);
    EXPECT_NE(challenge->find("resource_metadata="), std::string::npos) << *challenge;
}

TEST(HttpTransport, ResumesABrokenStreamWithLastEventId) {
    FakeMcpServer server;
    TransportHarness h(server.url());
    h.open();
    h.initialize();
    h.send(request(9, "break"));
    const auto reply = h.wait_response(9);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->message["result"]["resumed"], true);
    ASSERT_TRUE(reply->related_request_id);
    EXPECT_EQ(*reply->related_request_id, 9);
    const auto gets = resume_gets(server);
    ASSERT_EQ(gets.size(), 1u);
    EXPECT_EQ(header(gets[0], "last-event-id"), "ev-1");
    EXPECT_EQ(header(gets[0], "mcp-session-id"), server.session_id());
    EXPECT_EQ(header(gets[0], "accept"), "text/event-stream");
    // The notification that came before the break was delivered too.
    bool saw_progress = false;
    for (const auto& m : h.messages()) {
        if (m.message.value("method", "") == "notifications/progress") saw_progress = true;
    }
    EXPECT_TRUE(saw_progress);
}

TEST(HttpTransport, GivesUpWithAnErrorResponseAfterThreeFruitlessResumes) {
    FakeMcpServer server;
    TransportHarness h(server.url());
    h.open();
    h.initialize();
    const auto started = Clock::now();
    h.send(request(11, "break_forever"));
    const auto reply = h.wait_response(11, 5s);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->message["error"]["code"], -32001);
    EXPECT_EQ(reply->message["error"]["message"], "upstream stream ended before the response");
    ASSERT_TRUE(reply->related_request_id);
    EXPECT_EQ(*reply->related_request_id, 11);
    EXPECT_EQ(resume_gets(server).size(), 3u);
    // retry: 100 was honoured before each of the three attempts.
    EXPECT_GE(Clock::now() - started, 300ms);
}

TEST(HttpTransport, CloseIsIdempotentAndCancelsAnInFlightStreamPromptly) {
    FakeMcpServer server;
    TransportHarness h(server.url());
    h.open();
    h.initialize();
    h.send(request(4, "hang"));  // returns once the headers are in; the body never ends
    const auto started = Clock::now();
    h.close();
    EXPECT_LT(Clock::now() - started, 1s);
    EXPECT_TRUE(server.wait_hang_closed(1s));
    h.close();  // a second close is harmless
    EXPECT_TRUE(h.closed_reasons().empty()) << "on_closed must not report a requested close";
    const auto deletes = server.requests_with("DELETE");
    ASSERT_EQ(deletes.size(), 1u);
    EXPECT_EQ(header(deletes[0], "mcp-session-id"), server.session_id());
    EXPECT_FALSE(h.wait_response(4, 100ms)) << "no made-up error after a requested close";
    EXPECT_NE(send_error(h, request(5, "echo")).find("closed"), std::string::npos);
}

TEST(HttpTransport, SendCanBeCancelledWhileWaitingForTheAnswer) {
    FakeMcpServer server;
    TransportHarness h(server.url());
    h.open();
    h.initialize();
    using namespace boost::asio::experimental::awaitable_operators;
    auto& transport = h.transport();
    const auto started = Clock::now();
    h.run([&]() -> boost::asio::awaitable<void> {
        boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, 200ms);
        co_await (transport.send(request(6, "no_answer")) ||
                  timer.async_wait(boost::asio::use_awaitable));
    }());
    EXPECT_LT(Clock::now() - started, 2s);
    EXPECT_TRUE(server.wait_hang_closed(2s)) << "the cancelled exchange kept its connection";
    h.send(request(7, "echo"));
    EXPECT_TRUE(h.wait_response(7));
}

TEST(HttpTransport, BackgroundGetStreamDeliversServerMessages) {
    FakeMcpServer::Options options;
    options.allow_get = true;
    FakeMcpServer server(options);
    TransportHarness h(server.url());
    h.open();
    h.initialize("2025-11-25");
    ASSERT_TRUE(h.wait_for([](const auto& all) {
        for (const auto& m : all) {
            if (m.message.value("method", "") == "notifications/tools/list_changed") {
                return !m.related_request_id.has_value();
            }
        }
        return false;
    }));
    const auto gets = server.requests_with("GET");
    ASSERT_EQ(gets.size(), 1u);
    EXPECT_EQ(header(gets[0], "mcp-session-id"), server.session_id());
    EXPECT_EQ(header(gets[0], "mcp-protocol-version"), "2025-11-25");
    EXPECT_EQ(header(gets[0], "last-event-id"), "<absent>");
    const auto started = Clock::now();
    h.close();  // also ends the open GET stream
    EXPECT_LT(Clock::now() - started, 1s);
}

TEST(HttpTransport, RefusedGetStreamIsNotRetried) {
    FakeMcpServer server;  // answers GET with 405
    TransportHarness h(server.url());
    h.open();
    h.initialize();
    ASSERT_TRUE(server.wait_for(
        [](const auto& all) {
            for (const auto& r : all)
                if (r.verb == "GET") return true;
            return false;
        },
        2s));
    std::this_thread::sleep_for(1500ms);  // past the first back-off step
    EXPECT_EQ(server.requests_with("GET").size(), 1u);
    EXPECT_EQ(h.log_text().find("[warning]"), std::string::npos) << h.log_text();
}

TEST(HttpTransport, WorksWithoutASession) {
    FakeMcpServer::Options options;
    options.issue_session = false;
    FakeMcpServer server(options);
    TransportHarness h(server.url());
    h.open();
    h.initialize();
    EXPECT_EQ(h.transport().session_id(), "");
    h.send(request(2, "echo"));
    EXPECT_TRUE(h.wait_response(2));
    h.close();
    EXPECT_TRUE(server.requests_with("DELETE").empty());
}

TEST(HttpTransport, ConnectionRefusedIsAClearError) {
    std::string url;
    {
        FakeMcpServer gone;
        url = gone.url();
    }
    TransportHarness h(url);
    h.open();
    const std::string error = send_error(h, request(1, "initialize"));
    EXPECT_NE(error.find("cannot connect to 127.0.0.1:"), std::string::npos) << error;
}

TEST(HttpTransport, OpenRejectsABadUrlOrHeader) {
    {
        TransportHarness h(TransportHarness::config_for("ftp://example.com/mcp"));
        EXPECT_THROW(h.open(), std::invalid_argument);
        EXPECT_EQ(h.transport().describe(), "http: (invalid url)");
    }
    {
        auto config = TransportHarness::config_for("http://127.0.0.1:1/mcp");
        config.headers = {{"Accept", "text/html"}};
        TransportHarness h(config);
        EXPECT_THROW(h.open(), std::invalid_argument);
    }
    {
        TransportHarness h(TransportHarness::config_for("https://example.com:8443/mcp?key=abc"));
        EXPECT_EQ(h.transport().describe(), "http: https://example.com:8443/mcp");
    }
}

}  // namespace
}  // namespace mcpproxy::test
