#include "kernel/mcp/response_stream.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "kernel/protocol/jsonrpc.hpp"

namespace mcpproxy::mcp {
namespace asio = boost::asio;

namespace {
constexpr std::size_t kMaxQueued = 4096;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

Json error_answer(int code, const std::string& message) {
    return Json{{"error", {{"code", code}, {"message", message}}}};
}

// The client capability a relayed request needs.
std::string capability_for(const std::string& method) {
    if (method == "sampling/createMessage") return "sampling";
    if (method == "elicitation/create") return "elicitation";
    if (method == "roots/list") return "roots";
    return {};
}
}  // namespace

ResponseStream::ResponseStream(asio::any_io_executor executor, std::shared_ptr<Session> session,
                               bool can_stream, std::chrono::milliseconds answer_timeout)
    : session_(std::move(session)),
      can_stream_(can_stream),
      answer_timeout_(answer_timeout),
      items_(std::move(executor), kMaxQueued) {}

void ResponseStream::on_notification(Json notification) {
    if (!can_stream_) return;  // a JSON-only client cannot receive anything before its response
    items_.try_send(boost::system::error_code{}, Item{false, std::move(notification)});
}

asio::awaitable<Json> ResponseStream::on_server_request(Json request) {
    const std::string method = protocol::method_of(request);
    const std::string capability = capability_for(method);
    if (capability.empty()) {
        co_return error_answer(protocol::error_code::method_not_found,
                               "Method not found: " + method);
    }
    if (!session_ || !can_stream_ || !session_->client_supports(capability)) {
        co_return error_answer(protocol::error_code::method_not_found,
                               "the client did not declare the " + capability + " capability");
    }
    auto [id, answer] = session_->expect_answer();
    request["id"] = id;
    items_.try_send(boost::system::error_code{}, Item{false, std::move(request)});
    asio::steady_timer timer(items_.get_executor(), answer_timeout_);
    timer.async_wait([answer](const boost::system::error_code& e) {
        if (!e) answer->try_send(asio::error::timed_out, Json());
    });
    auto [error, response] = co_await answer->async_receive(kTuple);
    timer.cancel();
    if (error) {
        session_->forget_answer(id);
        co_return error_answer(protocol::error_code::request_timeout,
                               "the client did not answer " + method + " in time");
    }
    if (response.contains("error")) co_return Json{{"error", response["error"]}};
    co_return Json{{"result", response.value("result", Json::object())}};
}

void ResponseStream::finish(Json response) {
    // The final item must never be lost: a full queue only drops notifications above. try_send
    // moves the item only when it takes it, so a refused one is still whole for async_send.
    Item item{true, std::move(response)};
    if (!items_.try_send(boost::system::error_code{}, std::move(item))) {
        // NOLINTNEXTLINE(bugprone-use-after-move): a refused try_send left the item untouched
        items_.async_send(boost::system::error_code{}, std::move(item),
                          [](boost::system::error_code) {});
    }
}

asio::awaitable<ResponseStream::Item> ResponseStream::next() {
    auto [error, item] = co_await items_.async_receive(kTuple);
    if (error)
        co_return Item{true, protocol::make_error(nullptr, protocol::error_code::internal_error,
                                                  "stream closed")};
    co_return std::move(item);
}

}  // namespace mcpproxy::mcp
