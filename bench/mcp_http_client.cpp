#include "mcp_http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>
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

}  // namespace

McpHttpClient::McpHttpClient(asio::any_io_executor executor, const LoadOptions& options)
    : options_(options), stream_(std::move(executor)) {
    request_.method(http::verb::post);
    request_.target(options.target.path);
    request_.version(11);
    request_.keep_alive(true);
    request_.set(http::field::host, options.target.host_header);
    request_.set(http::field::user_agent, "mcp_load");
    request_.set(http::field::content_type, "application/json");
    request_.set(http::field::accept, "application/json, text/event-stream");
    for (const auto& [name, value] : options.headers) request_.set(name, value);
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
    beast::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.close();
    buffer_.clear();
    open_ = false;
}

asio::awaitable<std::string> McpHttpClient::exchange(std::string body, Response& response) {
    request_.body() = std::move(body);
    request_.prepare_payload();
    stream_.expires_after(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(options_.timeout));
    auto [write_ec, written] = co_await http::async_write(stream_, request_, use_tuple);
    if (write_ec) co_return "send: " + write_ec.message();
    auto [read_ec, read] = co_await http::async_read(stream_, buffer_, response, use_tuple);
    if (read_ec) co_return "receive: " + read_ec.message();
    co_return std::string();
}

asio::awaitable<std::string> McpHttpClient::open() {
    close();  // a fresh connection each time: the old one may be half-used
    const asio::ip::tcp::endpoint endpoint{
        asio::ip::make_address(options_.target.host),
        static_cast<unsigned short>(std::stoul(options_.target.port))};
    stream_.expires_after(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(options_.timeout));
    auto [connect_ec] = co_await stream_.async_connect(endpoint, use_tuple);
    if (connect_ec) co_return "connect: " + connect_ec.message();
    stream_.socket().set_option(asio::ip::tcp::no_delay(true));
    request_.erase("Mcp-Session-Id");
    request_.erase("MCP-Protocol-Version");

    const auto init_id = next_id_++;
    const json::object init_params{
        {"protocolVersion", options_.protocol_version},
        {"capabilities", json::object{}},
        {"clientInfo", json::object{{"name", "mcp_load"}, {"version", "1.0.0"}}}};
    Response init;
    if (auto problem = co_await exchange(
            request_body(init_id, "initialize", json::serialize(init_params)), init);
        !problem.empty()) {
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
        request_.set("MCP-Protocol-Version", std::string(version->get_string()));
    }
    if (const auto session = init.find("Mcp-Session-Id"); session != init.end()) {
        request_.set("Mcp-Session-Id", session->value());
    }

    Response initialized;
    if (auto problem = co_await exchange(
            R"({"jsonrpc":"2.0","method":"notifications/initialized"})", initialized);
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
    if (auto problem = co_await exchange(request_body(id, step.method, step.params_json), response);
        !problem.empty()) {
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
    if (request_.find("Mcp-Session-Id") != request_.end()) {
        request_.method(http::verb::delete_);
        request_.erase(http::field::content_type);
        Response ignored;
        co_await exchange(std::string(), ignored);
        request_.method(http::verb::post);
        request_.set(http::field::content_type, "application/json");
    }
    close();
}

}  // namespace bench
