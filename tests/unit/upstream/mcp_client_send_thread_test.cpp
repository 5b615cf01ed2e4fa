// Which thread McpClient sends a call from: the upstream's executor (one writer per upstream),
// or the caller's own thread when the transport keeps connections per thread.
#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>
#include <mutex>
#include <thread>

#include "kernel/protocol/jsonrpc.hpp"
#include "kernel/upstream/mcp_client.hpp"

namespace mcpproxy::test {
namespace {
namespace asio = boost::asio;
using upstream::Json;
using namespace std::chrono_literals;

// Answers every request at once and remembers the thread each send() ran on.
class RecordingTransport final : public upstream::Transport {
public:
    explicit RecordingTransport(bool from_caller) : from_caller_(from_caller) {}

    asio::awaitable<void> open(upstream::TransportHandlers handlers) override {
        handlers_ = std::move(handlers);
        co_return;
    }
    asio::awaitable<void> send(Json message) override {
        {
            std::lock_guard lock(mutex_);
            send_threads_.push_back(std::this_thread::get_id());
        }
        if (message.contains("id") && message.contains("method")) {
            Json result = {{"echoed", message["method"]}};
            if (message["method"] == "initialize") {
                result = {{"protocolVersion", "2025-06-18"},
                          {"capabilities", Json::object()},
                          {"serverInfo", {{"name", "recording"}, {"version", "1"}}}};
            }
            handlers_.on_message({protocol::make_result(message["id"], result), message["id"]});
        }
        co_return;
    }
    asio::awaitable<void> close() override { co_return; }
    [[nodiscard]] std::string describe() const override { return "recording"; }
    [[nodiscard]] bool sends_from_caller() const override { return from_caller_; }

    std::thread::id last_send_thread() const {
        std::lock_guard lock(mutex_);
        return send_threads_.empty() ? std::thread::id() : send_threads_.back();
    }

private:
    bool from_caller_;
    upstream::TransportHandlers handlers_;
    mutable std::mutex mutex_;
    std::vector<std::thread::id> send_threads_;
};

// Two single-threaded io_contexts: the upstream's and a caller's.
class TwoThreads {
public:
    TwoThreads() {
        for (auto* io : {&upstream_io, &caller_io}) {
            guards_.emplace_back(io->get_executor());
            threads_.emplace_back([io] { io->run(); });
        }
    }
    ~TwoThreads() {
        guards_.clear();
        for (auto& t : threads_) t.join();
    }
    [[nodiscard]] std::thread::id upstream_thread() const { return threads_[0].get_id(); }
    [[nodiscard]] std::thread::id caller_thread() const { return threads_[1].get_id(); }

    asio::io_context upstream_io{1};
    asio::io_context caller_io{1};

private:
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
    std::vector<std::thread> threads_;
};

template <class T>
T wait(std::future<T> future) {
    if (future.wait_for(5s) != std::future_status::ready) throw std::runtime_error("timed out");
    return future.get();
}

struct CallResult {
    Json result;
    std::thread::id send_thread;
};

CallResult call_from_the_caller_thread(bool from_caller, TwoThreads& threads) {
    auto transport = std::make_shared<RecordingTransport>(from_caller);
    auto client = std::make_shared<upstream::McpClient>(
        asio::make_strand(threads.upstream_io), "recording", transport,
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>()));
    wait(asio::co_spawn(threads.upstream_io, client->connect(5s), asio::use_future));
    CallResult out;
    out.result = wait(asio::co_spawn(
        threads.caller_io, client->call("tools/call", Json::object(), upstream::CallOptions{}),
        asio::use_future));
    out.send_thread = transport->last_send_thread();
    wait(asio::co_spawn(threads.upstream_io, client->close(), asio::use_future));
    return out;
}

TEST(McpClientSendThread, SendsFromTheUpstreamsExecutorByDefault) {
    TwoThreads threads;
    const auto out = call_from_the_caller_thread(false, threads);
    EXPECT_EQ(out.result["echoed"], "tools/call");
    EXPECT_EQ(out.send_thread, threads.upstream_thread());
}

TEST(McpClientSendThread, SendsFromTheCallersThreadWhenTheTransportPrefersIt) {
    TwoThreads threads;
    const auto out = call_from_the_caller_thread(true, threads);
    EXPECT_EQ(out.result["echoed"], "tools/call");
    EXPECT_EQ(out.send_thread, threads.caller_thread());
}

}  // namespace
}  // namespace mcpproxy::test
