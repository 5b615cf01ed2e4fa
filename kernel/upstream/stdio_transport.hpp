#pragma once

#include <spdlog/logger.h>

#include <atomic>
#include <memory>
#include <mutex>

#include "kernel/config/config.hpp"
#include "kernel/process/child_process.hpp"
#include "kernel/upstream/transport.hpp"

namespace mcpproxy::upstream {

// An upstream MCP server run as a child process speaking newline-delimited JSON-RPC on
// stdin/stdout. stderr lines go to the log, tagged with the server's name.
class StdioTransport final : public Transport, public std::enable_shared_from_this<StdioTransport> {
public:
    StdioTransport(boost::asio::any_io_executor executor, const config::UpstreamConfig& config,
                   std::shared_ptr<spdlog::logger> log);
    ~StdioTransport() override;

    boost::asio::awaitable<void> open(TransportHandlers handlers) override;
    // Queues the message; one flush, run after the handlers already queued on this transport's
    // executor, writes everything queued by then in a single write, so the calls of a busy
    // moment cost one system call (and one read in the child) instead of one each. A write that
    // fails ends the transport (on_closed): the process can no longer be told anything.
    boost::asio::awaitable<void> send(Json message) override;
    boost::asio::awaitable<void> close() override;
    [[nodiscard]] std::string describe() const override;

private:
    boost::asio::awaitable<void> read_stdout(std::shared_ptr<process::ChildProcess> child);
    boost::asio::awaitable<void> read_stderr(std::shared_ptr<process::ChildProcess> child);
    boost::asio::awaitable<void> watch_exit(std::shared_ptr<process::ChildProcess> child);
    boost::asio::awaitable<void> flush(std::shared_ptr<process::ChildProcess> child);
    // After a failed write: drops what was queued and ends the transport (unless closing).
    void abandon_outbox(const std::string& failure);
    void report_closed(const std::string& reason);

    boost::asio::any_io_executor executor_;
    config::UpstreamConfig config_;
    std::shared_ptr<spdlog::logger> log_;
    TransportHandlers handlers_;
    std::mutex mutex_;
    std::shared_ptr<process::ChildProcess> child_;
    std::atomic<bool> closing_{false};
    std::atomic<bool> closed_reported_{false};
    std::mutex outbox_mutex_;
    std::string outbox_;     // guarded by outbox_mutex_: lines not yet handed to the child
    bool flushing_ = false;  // guarded by outbox_mutex_: a flush is scheduled or running
};

}  // namespace mcpproxy::upstream
