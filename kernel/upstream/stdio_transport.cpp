#include "kernel/upstream/stdio_transport.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <string>

#include "kernel/protocol/jsonrpc.hpp"

namespace mcpproxy::upstream {
namespace asio = boost::asio;

namespace {
constexpr auto kStopGrace = std::chrono::seconds(3);
constexpr std::size_t kMaxLoggedLine = 2000;

// The JSON-RPC id near the start of a message cut at the line cap ({"jsonrpc":"2.0","id":7,...),
// without parsing megabytes of it; null when the prefix names none.
protocol::Json id_in_prefix(std::string_view line) {
    const auto prefix = line.substr(0, 256);
    const auto key = prefix.find("\"id\":");
    if (key == std::string_view::npos) return nullptr;
    auto rest = prefix.substr(key + 5);
    if (const auto end = rest.find_first_of(",}"); end != std::string_view::npos) {
        protocol::ParseFailure failure;
        if (auto id = protocol::parse_json(rest.substr(0, end), failure)) return *id;
    }
    return nullptr;
}
}  // namespace

StdioTransport::StdioTransport(asio::any_io_executor executor, const config::UpstreamConfig& config,
                               std::shared_ptr<spdlog::logger> log)
    : executor_(std::move(executor)), config_(config), log_(std::move(log)) {}

StdioTransport::~StdioTransport() {
    std::shared_ptr<process::ChildProcess> child;
    {
        std::lock_guard lock(mutex_);
        child = std::move(child_);
    }
    if (child && !child->exit_code()) child->kill_now();
}

std::string StdioTransport::describe() const {
    std::string d = "stdio: " + config_.command;
    for (const auto& a : config_.args) d += " " + a;
    return d;
}

asio::awaitable<void> StdioTransport::open(TransportHandlers handlers) {
    handlers_ = std::move(handlers);
    process::SpawnOptions options;
    options.argv.push_back(config_.command);
    options.argv.insert(options.argv.end(), config_.args.begin(), config_.args.end());
    options.env = config_.env;
    options.working_dir = config_.working_dir;
    auto child = process::ChildProcess::spawn(executor_, options);
    {
        std::lock_guard lock(mutex_);
        child_ = child;
    }
    log_->debug("started {} (pid {})", describe(), child->pid());
    auto self = shared_from_this();
    asio::co_spawn(executor_, read_stdout(child), asio::detached);
    asio::co_spawn(executor_, read_stderr(child), asio::detached);
    asio::co_spawn(executor_, watch_exit(child), asio::detached);
    co_return;
}

asio::awaitable<void> StdioTransport::send(Json message) {
    std::shared_ptr<process::ChildProcess> child;
    {
        std::lock_guard lock(mutex_);
        child = child_;
    }
    if (!child) throw std::runtime_error("the upstream process is not running");
    if (closed_reported_.load())
        throw std::runtime_error("the upstream process cannot be written to");
    const std::string line = message.dump(-1, ' ', false, Json::error_handler_t::replace);
    bool start_flush = false;
    {
        std::lock_guard lock(outbox_mutex_);
        outbox_.append(line).push_back('\n');
        start_flush = !std::exchange(flushing_, true);
    }
    if (start_flush) {
        // Posted, not spawned: a spawn from this executor would run the flush at once, before
        // the sends already queued behind this one could add their lines.
        asio::post(executor_, [self = shared_from_this(), child = std::move(child)]() mutable {
            asio::co_spawn(self->executor_, self->flush(std::move(child)), asio::detached);
        });
    }
    co_return;
}

asio::awaitable<void> StdioTransport::flush(std::shared_ptr<process::ChildProcess> child) {
    auto self = shared_from_this();
    for (;;) {
        std::string batch;
        {
            std::lock_guard lock(outbox_mutex_);
            if (outbox_.empty()) {
                flushing_ = false;
                co_return;
            }
            batch.swap(outbox_);
        }
        std::optional<std::string> failure;
        try {
            co_await child->async_write(std::move(batch));
        } catch (const std::exception& e) {
            failure = e.what();
        }
        if (failure) {
            abandon_outbox(*failure);
            co_return;
        }
    }
}

void StdioTransport::abandon_outbox(const std::string& failure) {
    {
        std::lock_guard lock(outbox_mutex_);
        outbox_.clear();
        flushing_ = false;
    }
    if (closing_.load()) return;
    log_->warn("writing to the process failed: {}", failure);
    report_closed("writing to the process failed: " + failure);
}

void StdioTransport::report_closed(const std::string& reason) {
    if (closed_reported_.exchange(true)) return;
    if (handlers_.on_closed) handlers_.on_closed(reason);
}

asio::awaitable<void> StdioTransport::read_stdout(std::shared_ptr<process::ChildProcess> child) {
    auto self = shared_from_this();
    auto& lines = child->stdout_lines();
    for (;;) {
        std::optional<std::string> line;
        try {
            line = co_await lines.read_line();
        } catch (const std::exception& e) {
            log_->warn("reading the upstream's stdout failed: {}", e.what());
            break;
        }
        if (!line) break;
        if (line->empty()) continue;
        if (lines.last_line_truncated()) {
            // Parsing megabytes that cannot be valid would hold an I/O thread for seconds (found by
            // tests/integration/hostile); fail the call it answers at once with a clear error.
            const std::string why = "upstream reply larger than the " +
                                    std::to_string(lines.max_line() >> 20) + " MiB line cap";
            log_->warn("ignored a stdout line: {}", why);
            auto id = id_in_prefix(*line);
            if (!id.is_null() && handlers_.on_message) {
                handlers_.on_message(IncomingMessage{
                    protocol::make_error(id, protocol::error_code::internal_error, why), {}});
            }
            continue;
        }
        protocol::ParseFailure failure;
        auto message = protocol::parse_json(*line, failure);
        if (!message) {
            // Servers that print banners on stdout break the protocol; say so, keep reading.
            log_->warn("ignored a stdout line that is not JSON-RPC ({}): {}", failure.reason,
                       line->substr(0, 200));
            continue;
        }
        if (handlers_.on_message) handlers_.on_message(IncomingMessage{std::move(*message), {}});
    }
}

asio::awaitable<void> StdioTransport::read_stderr(std::shared_ptr<process::ChildProcess> child) {
    auto self = shared_from_this();
    auto& lines = child->stderr_lines();
    for (;;) {
        std::optional<std::string> line;
        try {
            line = co_await lines.read_line();
        } catch (const std::exception&) {
            break;
        }
        if (!line) break;
        if (line->size() > kMaxLoggedLine) line->resize(kMaxLoggedLine);
        log_->info("stderr: {}", *line);
    }
}

asio::awaitable<void> StdioTransport::watch_exit(std::shared_ptr<process::ChildProcess> child) {
    auto self = shared_from_this();
    const int code = co_await child->wait_exit();
    if (closing_.load()) co_return;
    const std::string reason =
        code > 128 ? "the process was killed by signal " + std::to_string(code - 128)
                   : "the process exited with code " + std::to_string(code);
    report_closed(reason);
}

asio::awaitable<void> StdioTransport::close() {
    if (closing_.exchange(true)) co_return;
    std::shared_ptr<process::ChildProcess> child;
    {
        std::lock_guard lock(mutex_);
        child = child_;
    }
    if (!child) co_return;
    try {
        co_await child->close_stdin();
    } catch (const std::exception&) {
    }
    co_await child->terminate(kStopGrace);
}

}  // namespace mcpproxy::upstream
