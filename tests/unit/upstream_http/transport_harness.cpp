#include "transport_harness.hpp"

#include <spdlog/sinks/base_sink.h>

#include <boost/asio/strand.hpp>

namespace mcpproxy::test {

// Keeps every formatted log line, readable while the transport still logs.
class CapturingSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    std::string text() {
        std::lock_guard lock(mutex_);
        return text_;
    }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t formatted;
        formatter_->format(msg, formatted);
        text_.append(formatted.data(), formatted.size());
    }
    void flush_() override {}

private:
    std::string text_;
};

TransportHarness::TransportHarness(config::UpstreamConfig config, bool on_strand,
                                   std::shared_ptr<upstream::CredentialSource> credentials,
                                   bool lanes)
    : work_(io_.get_executor()), log_sink_(std::make_shared<CapturingSink>()) {
    if (on_strand || lanes) strand_ = boost::asio::make_strand(io_);
    auto log = std::make_shared<spdlog::logger>("upstream-http-test", log_sink_);
    log->set_level(spdlog::level::trace);
    std::vector<boost::asio::any_io_executor> lane_executors;
    if (lanes) {
        lane_io_ = std::make_unique<boost::asio::io_context>(1);
        lane_work_.emplace(lane_io_->get_executor());
        lane_executors = {io_.get_executor(), lane_io_->get_executor()};
    }
    transport_ = std::make_shared<upstream::HttpTransport>(
        strand_ ? *strand_ : boost::asio::any_io_executor(io_.get_executor()), config, log,
        std::move(credentials), std::move(lane_executors));
    // A lane is run by exactly one thread.
    const int io_threads = lanes ? 1 : 2;
    for (int i = 0; i < io_threads; ++i) threads_.emplace_back([this] { io_.run(); });
    if (lane_io_) threads_.emplace_back([this] { lane_io_->run(); });
}

TransportHarness::~TransportHarness() {
    try {
        close();
    } catch (...) {
    }
    transport_.reset();
    work_.reset();
    io_.stop();
    if (lane_io_) {
        lane_work_.reset();
        lane_io_->stop();
    }
    for (auto& t : threads_) t.join();
}

config::UpstreamConfig TransportHarness::config_for(const std::string& url) {
    config::UpstreamConfig config;
    config.name = "fake";
    config.transport = config::UpstreamTransport::http;
    config.url = url;
    return config;
}

void TransportHarness::open() {
    upstream::TransportHandlers handlers;
    handlers.on_message = [this](upstream::IncomingMessage m) {
        std::function<void(const upstream::IncomingMessage&)> hook;
        {
            std::lock_guard lock(mutex_);
            hook = hook_;
        }
        if (hook) hook(m);
        {
            std::lock_guard lock(mutex_);
            messages_.push_back(std::move(m));
            message_threads_.push_back(std::this_thread::get_id());
        }
        changed_.notify_all();
    };
    handlers.on_closed = [this](std::string reason) {
        {
            std::lock_guard lock(mutex_);
            closed_.push_back(std::move(reason));
        }
        changed_.notify_all();
    };
    run(transport_->open(std::move(handlers)));
}

void TransportHarness::send(const nlohmann::json& message) {
    if (!strand_) {
        run(transport_->send(message));
        return;
    }
    auto future =
        boost::asio::co_spawn(*strand_, transport_->send(message), boost::asio::use_future);
    if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
        throw std::runtime_error("send did not finish in time");
    }
    future.get();
}

void TransportHarness::send_on(std::size_t lane, const nlohmann::json& message) {
    if (!lane_io_) throw std::logic_error("send_on needs a harness with lanes");
    auto& context = lane == 0 ? io_ : *lane_io_;
    auto future =
        boost::asio::co_spawn(context, transport_->send(message), boost::asio::use_future);
    if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
        throw std::runtime_error("send did not finish in time");
    }
    future.get();
}

std::thread::id TransportHarness::lane_thread(std::size_t lane) const {
    if (!lane_io_) throw std::logic_error("lane_thread needs a harness with lanes");
    return threads_.at(lane).get_id();  // with lanes: io_'s one thread first, then lane_io_'s
}

std::vector<std::thread::id> TransportHarness::message_threads() const {
    std::lock_guard lock(mutex_);
    return message_threads_;
}

void TransportHarness::initialize(const std::string& version) {
    send(request(1, "initialize",
                 {{"protocolVersion", version},
                  {"capabilities", nlohmann::json::object()},
                  {"clientInfo", {{"name", "test"}, {"version", "1"}}}}));
    if (!wait_response(1)) throw std::runtime_error("no initialize reply");
    transport_->initialized(version);
    send(nlohmann::json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
}

void TransportHarness::on_message(std::function<void(const upstream::IncomingMessage&)> hook) {
    std::lock_guard lock(mutex_);
    hook_ = std::move(hook);
}

std::vector<upstream::IncomingMessage> TransportHarness::messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
}

std::vector<std::string> TransportHarness::closed_reasons() const {
    std::lock_guard lock(mutex_);
    return closed_;
}

bool TransportHarness::wait_for(
    const std::function<bool(const std::vector<upstream::IncomingMessage>&)>& pred,
    std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, limit, [&] { return pred(messages_); });
}

std::optional<upstream::IncomingMessage> TransportHarness::wait_response(
    int id, std::chrono::milliseconds limit) {
    std::optional<upstream::IncomingMessage> found;
    wait_for(
        [&](const std::vector<upstream::IncomingMessage>& all) {
            for (const auto& m : all) {
                if (m.message.contains("id") && m.message["id"] == id &&
                    !m.message.contains("method")) {
                    found = m;
                    return true;
                }
            }
            return false;
        },
        limit);
    return found;
}

std::string TransportHarness::log_text() const {
    return log_sink_->text();
}

nlohmann::json request(int id, const std::string& method, nlohmann::json params) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

}  // namespace mcpproxy::test
