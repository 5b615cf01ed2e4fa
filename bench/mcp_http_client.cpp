#include "mcp_http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/json.hpp>

#include "mcp_reply.hpp"

namespace bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

std::string describe_status(const http::response<http::string_body>& response) {
    std::string text = "HTTP " + std::to_string(response.result_int());
    if (!response.body().empty()) text += ": " + response.body().substr(0, 200);
    for (auto& c : text) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    return text;
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
    out.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

McpHttpClient::McpHttpClient(const asio::any_io_executor& executor, const LoadOptions& options)
    : options_(options), socket_(executor) {
    rebuild_common_headers();
}

void McpHttpClient::rebuild_common_headers() {
    common_headers_.clear();
    append_header(common_headers_, "Host", options_.target.host_header);
    append_header(common_headers_, "User-Agent", "mcp_load");
    append_header(common_headers_, "Accept", "application/json, text/event-stream");
    if (!negotiated_version_.empty()) {
        append_header(common_headers_, "MCP-Protocol-Version", negotiated_version_);
    }
    if (!session_id_.empty()) append_header(common_headers_, "Mcp-Session-Id", session_id_);
    for (const auto& [name, value] : options_.headers) append_header(common_headers_, name, value);
}

std::string McpHttpClient::request_body(std::int64_t id, std::string_view method,
                                        std::string_view params_json) const {
    std::string body;
    body.reserve(64 + method.size() + params_json.size());
    body.append(R"({"jsonrpc":"2.0","id":)").append(std::to_string(id));
    body.append(R"(,"method":")").append(method).append(R"(","params":)");
    body.append(params_json).append("}");
    return body;
}

void McpHttpClient::close() {
    boost::system::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    buffer_.clear();
    open_ = false;
}

void McpHttpClient::expire_if_overdue(Clock::time_point now) {
    if (!waiting_ || now - waiting_since_ < options_.timeout) return;
    timed_out_ = true;
    boost::system::error_code ignored;
    socket_.close(ignored);  // the pending read or write completes with operation_aborted
}

asio::awaitable<std::string> McpHttpClient::exchange(std::string_view verb, std::string_view body,
                                                     Response& response) {
    request_.clear();
    request_.append(verb).append(" ").append(options_.target.path).append(" HTTP/1.1\r\n");
    request_.append(common_headers_);
    if (!body.empty()) {
        append_header(request_, "Content-Type", "application/json");
        append_header(request_, "Content-Length", std::to_string(body.size()));
    }
    request_.append("\r\n").append(body);

    timed_out_ = false;
    waiting_since_ = Clock::now();
    waiting_ = true;
    auto [write_ec, written] =
        co_await asio::async_write(socket_, asio::buffer(request_), use_tuple);
    if (write_ec) {
        waiting_ = false;
        co_return timed_out_ ? std::string("send: timeout") : "send: " + write_ec.message();
    }
    auto [read_ec, read] = co_await http::async_read(socket_, buffer_, response, use_tuple);
    waiting_ = false;
    if (read_ec)
        co_return timed_out_ ? std::string("receive: timeout") : "receive: " + read_ec.message();
    co_return std::string();
}

asio::awaitable<std::string> McpHttpClient::open() {
    close();  // a fresh connection each time: the old one may be half-used
    const asio::ip::tcp::endpoint endpoint{
        asio::ip::make_address(options_.target.host),
        static_cast<unsigned short>(std::stoul(options_.target.port))};
    socket_ = asio::ip::tcp::socket(socket_.get_executor());
    timed_out_ = false;
    waiting_since_ = Clock::now();
    waiting_ = true;
    auto [connect_ec] = co_await socket_.async_connect(endpoint, use_tuple);
    waiting_ = false;
    if (connect_ec) {
        co_return timed_out_ ? std::string("connect: timeout") : "connect: " + connect_ec.message();
    }
    socket_.set_option(asio::ip::tcp::no_delay(true));
    session_id_.clear();
    negotiated_version_.clear();
    rebuild_common_headers();

    const auto init_id = next_id_++;
    const json::object init_params{
        {"protocolVersion", options_.protocol_version},
        {"capabilities", json::object{}},
        {"clientInfo", json::object{{"name", "mcp_load"}, {"version", "1.0.0"}}}};
    Response init;
    const auto init_body = request_body(init_id, "initialize", json::serialize(init_params));
    if (auto problem = co_await exchange("POST", init_body, init); !problem.empty()) {
        close();
        co_return "initialize: " + problem;
    }
    if (init.result() != http::status::ok) {
        close();
        co_return "initialize: " + describe_status(init);
    }
    const auto response = find_response(init[http::field::content_type], init.body(), init_id);
    const json::value* result = response ? response->if_contains("result") : nullptr;
    if (result == nullptr || !result->is_object()) {
        close();
        co_return "initialize: no result in " + init.body().substr(0, 200);
    }
    if (const auto* version = result->get_object().if_contains("protocolVersion");
        version && version->is_string()) {
        negotiated_version_ = std::string(version->get_string());
    }
    if (const auto session = init.find("Mcp-Session-Id"); session != init.end()) {
        session_id_ = std::string(session->value());
    }
    rebuild_common_headers();

    Response initialized;
    if (auto problem = co_await exchange(
            "POST", R"({"jsonrpc":"2.0","method":"notifications/initialized"})", initialized);
        !problem.empty()) {
        close();
        co_return "notifications/initialized: " + problem;
    }
    if (initialized.result() != http::status::accepted &&
        initialized.result() != http::status::ok) {
        close();
        co_return "notifications/initialized: " + describe_status(initialized);
    }
    open_ = true;
    co_return std::string();
}

asio::awaitable<std::string> McpHttpClient::call(const LoadStep& step) {
    const auto id = next_id_++;
    Response response;
    const auto body = request_body(id, step.method, step.params_json);
    if (auto problem = co_await exchange("POST", body, response); !problem.empty()) {
        close();
        co_return problem;
    }
    std::string problem;
    if (response.result() == http::status::not_found) {
        problem = describe_status(response) + " (session lost)";
        close();
        co_return problem;
    }
    if (response.result() != http::status::ok) {
        problem = describe_status(response);
    } else if (const auto found =
                   find_response(response[http::field::content_type], response.body(), id)) {
        problem = step.method == "tools/call" ? tool_call_problem(*found) : reply_problem(*found);
    } else {
        problem =
            "no response with id " + std::to_string(id) + " in: " + response.body().substr(0, 200);
    }
    if (!response.keep_alive()) close();
    co_return problem;
}

asio::awaitable<void> McpHttpClient::end_session() {
    if (!open_) co_return;
    if (!session_id_.empty()) {
        Response ignored;
        co_await exchange("DELETE", {}, ignored);
    }
    close();
}

}  // namespace bench
