#include "kernel/mcp/session.hpp"

namespace mcpproxy::mcp {
namespace {
constexpr std::size_t kOutboxCapacity = 256;
std::string key_of(const Json& id) {
    return id.dump();
}
}  // namespace

Session::Session(std::string id, sdk::Identity identity, std::string protocol_version,
                 Json client_capabilities, boost::asio::any_io_executor executor)
    : id_(std::move(id)),
      identity_(std::move(identity)),
      protocol_version_(std::move(protocol_version)),
      client_capabilities_(std::move(client_capabilities)),
      last_active_(std::chrono::steady_clock::now()),
      outbox_(std::move(executor), kOutboxCapacity) {}

bool Session::client_supports(std::string_view capability) const {
    return client_capabilities_.is_object() &&
           client_capabilities_.contains(std::string(capability));
}

void Session::touch() {
    std::lock_guard lock(mutex_);
    last_active_ = std::chrono::steady_clock::now();
}

std::chrono::steady_clock::time_point Session::last_active() const {
    std::lock_guard lock(mutex_);
    return last_active_;
}

void Session::track(const Json& request_id, std::shared_ptr<upstream::CancelHandle> cancel) {
    std::lock_guard lock(mutex_);
    in_flight_[key_of(request_id)] = std::move(cancel);
}

void Session::untrack(const Json& request_id) {
    std::lock_guard lock(mutex_);
    in_flight_.erase(key_of(request_id));
}

void Session::cancel(const Json& request_id, const std::string& reason) {
    std::shared_ptr<upstream::CancelHandle> handle;
    {
        std::lock_guard lock(mutex_);
        const auto it = in_flight_.find(key_of(request_id));
        if (it == in_flight_.end()) return;
        handle = it->second;
    }
    handle->cancel(reason);
}

void Session::cancel_all(const std::string& reason) {
    std::map<std::string, std::shared_ptr<upstream::CancelHandle>> all;
    {
        std::lock_guard lock(mutex_);
        all = in_flight_;
    }
    for (auto& [id, handle] : all) handle->cancel(reason);
}

std::pair<std::string, std::shared_ptr<JsonChannel>> Session::expect_answer() {
    auto channel = std::make_shared<JsonChannel>(outbox_.get_executor(), 1);
    std::lock_guard lock(mutex_);
    std::string id = "mcpproxy-" + std::to_string(next_answer_id_++);
    awaiting_[id] = channel;
    return {id, channel};
}

bool Session::deliver_answer(const Json& response) {
    const auto& id = response["id"];
    if (!id.is_string()) return false;
    std::shared_ptr<JsonChannel> channel;
    {
        std::lock_guard lock(mutex_);
        const auto it = awaiting_.find(id.get<std::string>());
        if (it == awaiting_.end()) return false;
        channel = it->second;
        awaiting_.erase(it);
    }
    channel->try_send(boost::system::error_code{}, response);
    return true;
}

void Session::forget_answer(const std::string& id) {
    std::lock_guard lock(mutex_);
    awaiting_.erase(id);
}

void Session::post(Json message) {
    // A full outbox means the client stopped reading its GET stream: drop rather than grow.
    outbox_.try_send(boost::system::error_code{}, std::move(message));
}

std::uint64_t Session::attach_stream() {
    std::lock_guard lock(mutex_);
    stream_attached_ = true;
    return ++stream_generation_;
}

bool Session::stream_current(std::uint64_t generation) const {
    std::lock_guard lock(mutex_);
    return stream_attached_ && stream_generation_ == generation && !closed_;
}

bool Session::has_stream() const {
    std::lock_guard lock(mutex_);
    return stream_attached_;
}

void Session::detach_stream(std::uint64_t generation) {
    std::lock_guard lock(mutex_);
    if (stream_generation_ == generation) stream_attached_ = false;
}

void Session::subscribe(const std::string& uri) {
    std::lock_guard lock(mutex_);
    subscriptions_.insert(uri);
}

void Session::unsubscribe(const std::string& uri) {
    std::lock_guard lock(mutex_);
    subscriptions_.erase(uri);
}

bool Session::subscribed(const std::string& uri) const {
    std::lock_guard lock(mutex_);
    return subscriptions_.contains(uri);
}

void Session::close() {
    if (closed_.exchange(true)) return;
    cancel_all("session ended");
    std::map<std::string, std::shared_ptr<JsonChannel>> waiting;
    {
        std::lock_guard lock(mutex_);
        waiting.swap(awaiting_);
    }
    for (auto& [id, ch] : waiting) ch->close();
    outbox_.close();
}

}  // namespace mcpproxy::mcp
