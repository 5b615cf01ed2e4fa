// The listener's limits and lifecycle, against the real binary over real sockets.
#include <gtest/gtest.h>

#include <thread>

#include "tests/support/proxy_process.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/temp_dir.hpp"

namespace mcpproxy::test {
namespace {
namespace http = boost::beast::http;

class ListenerTest : public ::testing::Test {
protected:
    void start(const std::string& limits_json = "{}") {
        dir_.write("config.json",
                   R"({"listen": "127.0.0.1:0", "shutdown_timeout": "5s", "limits": )" +
                       limits_json + "}");
        proxy_ = std::make_unique<ProxyProcess>(
            std::vector<std::string>{"--config", (dir_ / "config.json").string()}, dir_.path());
        ASSERT_TRUE(proxy_->started()) << proxy_->log();
    }
    TempDir dir_;
    std::unique_ptr<ProxyProcess> proxy_;
};

TEST_F(ListenerTest, HealthzIsOkOnceReadyAndEveryResponseHasARequestId) {
    start();
    const auto res = http_request(proxy_->port(), http::verb::get, "/healthz");
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_FALSE(res["X-Request-Id"].empty());
    EXPECT_TRUE(res[http::field::server].empty());
    const auto post = http_request(proxy_->port(), http::verb::post, "/healthz");
    EXPECT_EQ(post.result_int(), 405);
}

TEST_F(ListenerTest, UnknownPathIs404WithEmptyBody) {
    start();
    const auto res = http_request(proxy_->port(), http::verb::get, "/ui/secret");
    EXPECT_EQ(res.result_int(), 404);
    EXPECT_TRUE(res.body().empty());
    EXPECT_FALSE(res["X-Request-Id"].empty());
}

TEST_F(ListenerTest, OversizedHeaderIs431) {
    start(R"({"max_header_bytes": 2048})");
    RawConnection c(proxy_->port());
    c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'a') + "\r\n\r\n");
    const auto res = c.read_response();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result_int(), 431);
}

TEST_F(ListenerTest, OversizedBodyIs413BeforeItIsRead) {
    start(R"({"max_body_bytes": 1024})");
    RawConnection c(proxy_->port());
    c.send("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
    const auto res = c.read_response();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result_int(), 413);
}

TEST_F(ListenerTest, OversizedChunkedBodyIs413) {
    start(R"({"max_body_bytes": 1024})");
    RawConnection c(proxy_->port());
    c.send("POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" +
           std::string(2048, 'x') + "\r\n0\r\n\r\n");
    const auto res = c.read_response();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result_int(), 413);
}

TEST_F(ListenerTest, SlowHeaderIs408) {
    start(R"({"header_timeout": "500ms"})");
    RawConnection c(proxy_->port());
    c.send("GET /healthz HTTP/1.1\r\nHo");
    const auto res = c.read_response(std::chrono::seconds(5));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result_int(), 408);
}

TEST_F(ListenerTest, IdleConnectionWithoutBytesIsClosedSilently) {
    start(R"({"header_timeout": "300ms"})");
    RawConnection c(proxy_->port());
    EXPECT_TRUE(c.closed_by_peer(std::chrono::seconds(5)));
}

TEST_F(ListenerTest, MalformedRequestIs400) {
    start();
    RawConnection c(proxy_->port());
    c.send("GARBAGE\r\n\r\n");
    const auto res = c.read_response();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result_int(), 400);
}

TEST_F(ListenerTest, ConnectionsOverTheLimitGet503) {
    start(R"({"max_connections": 2})");
    RawConnection a(proxy_->port());
    RawConnection b(proxy_->port());
    a.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    b.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_TRUE(a.read_response());
    ASSERT_TRUE(b.read_response());
    RawConnection c(proxy_->port());
    c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto res = c.read_response();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result_int(), 503);
    EXPECT_EQ((*res)[http::field::retry_after], "1");
}

TEST_F(ListenerTest, PipelinedRequestsAreAnsweredInOrder) {
    start();
    RawConnection c(proxy_->port());
    c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto first = c.read_response();
    const auto second = c.read_response();
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->result_int(), 200);
    EXPECT_EQ(second->result_int(), 404);
}

TEST_F(ListenerTest, ExpectContinueIsHonoured) {
    start();
    RawConnection c(proxy_->port());
    c.send("POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
    const auto interim = c.read_response();
    ASSERT_TRUE(interim);
    EXPECT_EQ(interim->result_int(), 100);
    c.send("{}");
    const auto final_res = c.read_response();
    ASSERT_TRUE(final_res);
    EXPECT_EQ(final_res->result_int(), 404);
}

TEST_F(ListenerTest, SigtermStopsGracefullyWithExitZero) {
    start();
    RawConnection idle(proxy_->port());
    EXPECT_EQ(proxy_->stop(std::chrono::seconds(10)), 0);
    EXPECT_NE(proxy_->log().find("stopped"), std::string::npos);
}

TEST(ListenerStartup, AddressInUseIsAClearError) {
    TempDir dir;
    ProxyProcess first({}, dir.path());
    ASSERT_TRUE(first.started());
    const auto r = run_mcpproxy({"serve", "--data-dir", (dir / "d2").string(), "--listen",
                                 "127.0.0.1:" + std::to_string(first.port())});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())),
              std::string::npos)
        << r.err;
}

TEST(ListenerStartup, MalformedConfigNamesFileKeyAndProblem) {
    TempDir dir;
    dir.write("bad.json",
              R"({"listen": "127.0.0.1:0", "mcpServers": [{"name": "a", "command": 5}]})");
    const auto r = run_mcpproxy({"serve", "--config", (dir / "bad.json").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find((dir / "bad.json").string() +
                         ": $.mcpServers[0].command: expected a string, got a number"),
              std::string::npos)
        << r.err;
}

}  // namespace
}  // namespace mcpproxy::test
