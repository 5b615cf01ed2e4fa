#include "kernel/upstream/stdio_transport.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace mcpproxy::upstream {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Runs a stdio transport over `sh -c script` on one io_context and records what comes back.
class StdioTransportTest : public ::testing::Test {
protected:
    void start(const std::string& script) {
        config::UpstreamConfig config;
        config.name = "scripted";
        config.command = "/bin/sh";
        config.args = {"-c", script};
        auto log = std::make_shared<spdlog::logger>(
            "test", std::make_shared<spdlog::sinks::null_sink_mt>());
        transport_ = std::make_shared<StdioTransport>(io_.get_executor(), config, log);
        TransportHandlers handlers;
        handlers.on_message = [this](const IncomingMessage& m) { messages_.push_back(m.message); };
        handlers.on_closed = [this](const std::string& reason) { closed_ = reason; };
        asio::co_spawn(io_, transport_->open(std::move(handlers)), asio::detached);
    }

    // Runs the io_context until `done` holds or five seconds pass.
    template <class Predicate>
    bool run_until(Predicate done) {
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (!done() && std::chrono::steady_clock::now() < deadline) {
            io_.run_for(10ms);
            io_.restart();
        }
        return done();
    }

    void stop() {
        asio::co_spawn(io_, transport_->close(), asio::detached);
        io_.run_for(5s);
    }

    static Json request(int id) { return Json{{"jsonrpc", "2.0"}, {"id", id}, {"method", "ping"}}; }

    asio::io_context io_;
    std::shared_ptr<StdioTransport> transport_;
    std::vector<Json> messages_;
    std::optional<std::string> closed_;
};

// The child says it is ready, then makes one read of its stdin and reports how many lines that
// read returned.
constexpr const char* kCountOneRead =
    R"(echo '{"jsonrpc":"2.0","method":"ready"}'; )"
    R"(n=$(dd bs=65536 count=1 2>/dev/null | wc -l); )"
    R"(echo "{\"jsonrpc\":\"2.0\",\"method\":\"read\",\"params\":{\"lines\":$n}}"; sleep 5)";

TEST_F(StdioTransportTest, MessagesSentInOneTurnReachTheChildInOneWrite) {
    start(kCountOneRead);
    ASSERT_TRUE(run_until([&] { return !messages_.empty(); }));
    for (int id = 1; id <= 10; ++id) {
        asio::co_spawn(io_, transport_->send(request(id)), asio::detached);
    }
    ASSERT_TRUE(run_until([&] { return messages_.size() == 2; }));
    EXPECT_EQ(messages_[1]["method"], "read");
    EXPECT_EQ(messages_[1]["params"]["lines"], 10);
    stop();
}

TEST_F(StdioTransportTest, AFailedWriteEndsTheTransportOnce) {
    // The child closes its stdin but lives on: nothing can be written to it any more.
    start(R"(exec 0<&-; echo '{"jsonrpc":"2.0","method":"ready"}'; sleep 5)");
    ASSERT_TRUE(run_until([&] { return !messages_.empty(); }));
    asio::co_spawn(io_, transport_->send(request(1)), asio::detached);
    ASSERT_TRUE(run_until([&] { return closed_.has_value(); }));
    EXPECT_NE(closed_->find("writing to the process failed"), std::string::npos) << *closed_;

    bool refused = false;
    asio::co_spawn(io_, transport_->send(request(2)),
                   [&](const std::exception_ptr& e) { refused = e != nullptr; });
    ASSERT_TRUE(run_until([&] { return refused; }));
    stop();
}

}  // namespace
}  // namespace mcpproxy::upstream
