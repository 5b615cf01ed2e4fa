#include "tests/integration/mcp/mcp_http.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <sstream>
#include <stdexcept>

namespace mcpproxy::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

using HttpResponse = http::response<http::string_body>;

// One request on a fresh connection, every step bounded by timeout (Beast's synchronous calls
// ignore a stream's expiry, so a proxy that never answers would hang the test instead of
// failing it). Throws on timeout or connection failure.
HttpResponse bounded_request(unsigned short port, http::verb method, const Headers& headers,
                             const std::string& body, std::chrono::milliseconds timeout) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    http::request<http::string_body> req{method, "/mcp", 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    if (!body.empty() || method == http::verb::post) req.prepare_payload();
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    std::exception_ptr failure;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            stream.expires_after(timeout);
            co_await stream.async_connect(
                asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                asio::use_awaitable);
            co_await http::async_write(stream, req, asio::use_awaitable);
            co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
        },
        [&](std::exception_ptr e) { failure = e; });
    io.run();
    if (failure) {
        try {
            std::rethrow_exception(failure);
        } catch (const std::exception& e) {
            throw std::runtime_error(std::string(http::to_string(method)) +
                                     " /mcp got no complete reply: " + e.what());
        }
    }
    return parser.release();
}

McpReply to_reply(const HttpResponse& res) {
    McpReply reply;
    reply.status = res.result_int();
    reply.content_type = std::string(res[http::field::content_type]);
    reply.session_id = std::string(res["Mcp-Session-Id"]);
    reply.allow = std::string(res[http::field::allow]);
    reply.connection = std::string(res[http::field::connection]);
    reply.body = res.body();
    if (reply.is_sse()) {
        reply.messages = sse_messages(reply.body);
    } else if (!reply.body.empty()) {
        auto parsed = Json::parse(reply.body, nullptr, false);
        if (!parsed.is_discarded()) reply.messages.push_back(std::move(parsed));
    }
    return reply;
}

Headers without_empty(const Headers& headers) {
    Headers out;
    for (const auto& [k, v] : headers) {
        if (!v.empty()) out[k] = v;
    }
    return out;
}

}  // namespace

const Json& McpReply::last() const {
    if (messages.empty()) {
        throw std::runtime_error("no JSON-RPC message in the reply (status " +
                                 std::to_string(status) + "): " + body);
    }
    return messages.back();
}

std::vector<Json> sse_messages(const std::string& text) {
    std::vector<Json> out;
    std::istringstream in(text);
    std::string line;
    std::string data;
    auto flush = [&] {
        if (!data.empty()) out.push_back(Json::parse(data));
        data.clear();
    };
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) {
            flush();
        } else if (line.starts_with("data:")) {
            std::string part = line.substr(5);
            if (part.starts_with(' ')) part.erase(0, 1);
            if (!data.empty()) data += '\n';
            data += part;
        }
    }
    flush();
    return out;
}

McpReply mcp_post(unsigned short port, const std::string& body, const Headers& headers,
                  std::chrono::milliseconds timeout) {
    Headers merged{{"Content-Type", "application/json"},
                   {"Accept", "application/json, text/event-stream"}};
    for (const auto& [k, v] : headers) merged[k] = v;
    return to_reply(bounded_request(port, http::verb::post, without_empty(merged), body, timeout));
}

McpReply mcp_send(unsigned short port, const std::string& method, const std::string& body,
                  const Headers& headers, std::chrono::milliseconds timeout) {
    const auto verb = http::string_to_verb(method);
    if (verb == http::verb::unknown) throw std::invalid_argument("unknown HTTP method " + method);
    return to_reply(bounded_request(port, verb, without_empty(headers), body, timeout));
}

Json request_message(const Json& id, const std::string& method, Json params) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

Json initialize_message(const Json& id, const std::string& version) {
    return request_message(id, "initialize",
                           {{"protocolVersion", version},
                            {"capabilities", Json::object()},
                            {"clientInfo", {{"name", "mcp-integration-test"}, {"version", "1"}}}});
}

std::string first_text(const Json& tool_result) {
    const auto& content = tool_result.at("content");
    if (!content.is_array() || content.empty()) return {};
    return content[0].value("text", std::string());
}

McpSession::McpSession(unsigned short port, std::string version)
    : port_(port), version_(std::move(version)) {
    const auto reply = mcp_post(port_, initialize_message(0, version_).dump());
    if (reply.status != 200 || reply.session_id.empty()) {
        throw std::runtime_error("initialize failed with status " + std::to_string(reply.status) +
                                 ": " + reply.body);
    }
    id_ = reply.session_id;
    version_ = reply.last()["result"].value("protocolVersion", version_);
    const auto note =
        post(Json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}.dump());
    if (note.status != 202) {
        throw std::runtime_error("notifications/initialized answered " +
                                 std::to_string(note.status));
    }
}

Headers McpSession::headers() const {
    return {{"Mcp-Session-Id", id_}, {"MCP-Protocol-Version", version_}};
}

McpReply McpSession::post(const std::string& body, const Headers& extra) {
    Headers h = headers();
    for (const auto& [k, v] : extra) h[k] = v;
    return mcp_post(port_, body, h);
}

McpReply McpSession::request(const std::string& method, Json params, const Headers& extra) {
    return post(request_message(next_id(), method, std::move(params)).dump(), extra);
}

Json McpSession::call_tool(const std::string& name, Json arguments) {
    return request("tools/call", {{"name", name}, {"arguments", std::move(arguments)}}).last();
}

}  // namespace mcpproxy::test
