#include "fake_mcp_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <nlohmann/json.hpp>

namespace mcpproxy::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using asio::ip::tcp;
using Json = nlohmann::json;
using namespace std::chrono_literals;

namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

Json result_for(const Json& id, Json result) {
    return Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

std::string sse_event(const Json& message, const std::string& id = "",
                      std::optional<int> retry = std::nullopt) {
    std::string out;
    if (!id.empty()) out += "id: " + id + "\n";
    if (retry) out += "retry: " + std::to_string(*retry) + "\n";
    out += "event: message\ndata: " + message.dump() + "\n\n";
    return out;
}

// Replies built outside the coroutines (GCC 12 mishandles braced temporaries in co_await
// expressions).
std::string initialize_result(const Json& id) {
    const Json result{{"protocolVersion", "2025-06-18"},
                      {"capabilities", Json::object()},
                      {"serverInfo", {{"name", "fake"}, {"version", "1"}}}};
    return result_for(id, result).dump();
}

std::string echo_result(const Json& id, const Json& message) {
    return result_for(id, {{"echo", message.value("params", Json())}}).dump();
}

std::string batch_reply(const Json& id) {
    const Json batch = Json::array({Json{{"jsonrpc", "2.0"},
                                         {"method", "notifications/message"},
                                         {"params", {{"level", "info"}}}},
                                    result_for(id, {{"batched", true}})});
    return batch.dump();
}

std::string unknown_method(const Json& id) {
    return Json{
        {"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", -32601}, {"message", "unknown"}}}}
        .dump();
}

Json progress_notification() {
    return Json{{"jsonrpc", "2.0"},
                {"method", "notifications/progress"},
                {"params", {{"progressToken", "tok"}, {"progress", 1}}}};
}

std::string done_event(const Json& id) {
    return sse_event(result_for(id, {{"done", true}}));
}
std::string resumed_event(const Json& id) {
    return sse_event(result_for(id, {{"resumed", true}}), "ev-2");
}
std::string list_changed_event() {
    return sse_event(Json{{"jsonrpc", "2.0"}, {"method", "notifications/tools/list_changed"}});
}

std::map<std::string, std::string> challenge_headers() {
    return {{"WWW-Authenticate",
             "Bearer resource_metadata=\"http://127.0.0.1/.well-known/oauth-protected-resource\""}};
}

}  // namespace

struct FakeMcpServer::Impl {
    FakeMcpServer& server;
    tcp::acceptor acceptor;
    std::map<std::string, Json> broken_streams;  // event id -> request id awaiting resumption
    std::map<std::string, bool> resume_forever_breaks;

    Impl(FakeMcpServer& s, asio::io_context& io)
        : server(s), acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}

    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(kTuple);
            if (ec) co_return;
            int number = 0;
            {
                std::lock_guard lock(server.mutex_);
                number = ++server.connections_;
            }
            if (server.tls_) {
                asio::co_spawn(acceptor.get_executor(), serve_tls(std::move(socket), number),
                               asio::detached);
            } else {
                asio::co_spawn(acceptor.get_executor(),
                               serve(beast::tcp_stream(std::move(socket)), number), asio::detached);
            }
        }
    }

    asio::awaitable<void> serve_tls(tcp::socket socket, int number) {
        beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)),
                                                    *server.tls_);
        auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kTuple);
        if (ec) co_return;
        co_await serve_stream(stream, number);
    }

    asio::awaitable<void> serve(beast::tcp_stream stream, int number) {
        co_await serve_stream(stream, number);
    }

    template <class Stream>
    asio::awaitable<void> serve_stream(Stream& stream, int number) {
        beast::flat_buffer buffer;
        for (;;) {
            http::request<http::string_body> req;
            auto [ec, n] = co_await http::async_read(stream, buffer, req, kTuple);
            if (ec) co_return;
            const bool keep = co_await handle(stream, buffer, req, number);
            if (!keep || !req.keep_alive()) {
                beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ec);
                co_return;
            }
        }
    }

    RecordedRequest record(const http::request<http::string_body>& req, int number) {
        RecordedRequest r;
        r.connection = number;
        r.verb = std::string(req.method_string());
        for (const auto& field : req)
            r.headers[lower(std::string(field.name_string()))] = std::string(field.value());
        r.body = req.body();
        if (!r.body.empty()) {
            const auto json = Json::parse(r.body, nullptr, false);
            if (json.is_object() && json.contains("method")) r.rpc_method = json["method"];
        }
        {
            std::lock_guard lock(server.mutex_);
            server.requests_.push_back(r);
        }
        server.changed_.notify_all();
        return r;
    }

    template <class Stream>
    asio::awaitable<void> respond(Stream& stream, http::status status, std::string body) {
        static const std::string json_type = "application/json";
        static const std::map<std::string, std::string> none;
        co_await respond(stream, status, std::move(body), json_type, none);
    }

    template <class Stream>
    asio::awaitable<void> respond(Stream& stream, http::status status, std::string body,
                                  const std::string& content_type) {
        static const std::map<std::string, std::string> none;
        co_await respond(stream, status, std::move(body), content_type, none);
    }

    template <class Stream>
    asio::awaitable<void> respond(Stream& stream, http::status status, std::string body,
                                  const std::string& content_type,
                                  const std::map<std::string, std::string>& headers) {
        http::response<http::string_body> res{status, 11};
        if (!body.empty()) res.set(http::field::content_type, content_type);
        for (const auto& [k, v] : headers) res.set(k, v);
        res.body() = std::move(body);
        res.prepare_payload();
        res.keep_alive(true);
        co_await http::async_write(stream, res, kTuple);
    }

    template <class Stream>
    asio::awaitable<void> start_sse(Stream& stream) {
        http::response<http::empty_body> res{http::status::ok, 11};
        res.set(http::field::content_type, "text/event-stream");
        res.chunked(true);
        http::response_serializer<http::empty_body> serializer{res};
        co_await http::async_write_header(stream, serializer, kTuple);
    }

    template <class Stream>
    asio::awaitable<void> chunk(Stream& stream, const std::string& data) {
        co_await asio::async_write(stream, http::make_chunk(asio::buffer(data)), kTuple);
    }

    template <class Stream>
    asio::awaitable<void> last_chunk(Stream& stream) {
        co_await asio::async_write(stream, http::make_chunk_last(), kTuple);
    }

    template <class Stream>
    void cut(Stream& stream) {
        boost::system::error_code ec;
        beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ec);
        beast::get_lowest_layer(stream).close();
    }

    // Returns whether the connection may carry another request.
    template <class Stream>
    asio::awaitable<bool> handle(Stream& stream, beast::flat_buffer& buffer,
                                 const http::request<http::string_body>& req, int number) {
        const RecordedRequest r = record(req, number);
        const auto header = [&](const std::string& name) {
            const auto it = r.headers.find(name);
            return it == r.headers.end() ? std::string() : it->second;
        };
        const bool has_session = server.options_.issue_session;
        bool expired = false;
        {
            std::lock_guard lock(server.mutex_);
            expired = server.expired_;
        }
        if (req.method() == http::verb::delete_) {
            co_await respond(stream, http::status::ok, std::string());
            co_return true;
        }
        if (req.method() == http::verb::get) {
            const std::string last = header("last-event-id");
            if (!last.empty() && broken_streams.contains(last)) {
                const Json id = broken_streams[last];
                co_await start_sse(stream);
                if (resume_forever_breaks[last]) {
                    const std::string comment = ": still working\n\n";
                    co_await chunk(stream, comment);
                    cut(stream);
                    co_return false;
                }
                const std::string event = resumed_event(id);
                co_await chunk(stream, event);
                co_await last_chunk(stream);
                co_return true;
            }
            if (!server.options_.allow_get) {
                co_await respond(stream, http::status::method_not_allowed, std::string());
                co_return true;
            }
            co_await start_sse(stream);
            const std::string event = list_changed_event();
            co_await chunk(stream, event);
            co_await wait_until_client_leaves(stream, buffer);
            co_return false;
        }
        const Json message = Json::parse(r.body, nullptr, false);
        if (!message.is_object()) {
            co_await respond(stream, http::status::bad_request, std::string());
            co_return true;
        }
        const std::string method = message.value("method", "");
        if (method == "initialize") {
            std::map<std::string, std::string> headers;
            if (has_session) headers["Mcp-Session-Id"] = server.session_id_;
            const std::string body = initialize_result(message["id"]);
            const std::string type = "application/json";
            co_await respond(stream, http::status::ok, body, type, headers);
            co_return true;
        }
        if (has_session) {
            const std::string sent = header("mcp-session-id");
            if (sent.empty()) {
                co_await respond(stream, http::status::bad_request, std::string("missing session"));
                co_return true;
            }
            if (sent != server.session_id_ || expired) {
                co_await respond(stream, http::status::not_found, std::string("no such session"));
                co_return true;
            }
        }
        if (!message.contains("id") || !message.contains("method")) {
            co_await respond(stream, http::status::accepted, std::string());
            co_return true;
        }
        const Json id = message["id"];
        if (method == "echo") {
            const std::string body = echo_result(id, message);
            co_await respond(stream, http::status::ok, body);
            co_return true;
        }
        if (method == "batch") {
            const std::string body = batch_reply(id);
            co_await respond(stream, http::status::ok, body);
            co_return true;
        }
        if (method == "fail500") {
            const std::string body = "boom; you sent authorization=" + header("authorization") +
                                     " and x-api-key=" + header("x-api-key");
            const std::string type = "text/plain";
            co_await respond(stream, http::status::internal_server_error, body, type);
            co_return true;
        }
        if (method == "unauthorized") {
            const std::map<std::string, std::string> headers = challenge_headers();
            const std::string type = "text/plain";
            co_await respond(stream, http::status::unauthorized, std::string(), type, headers);
            co_return true;
        }
        if (method == "progress") {
            co_await start_sse(stream);
            const std::string progress = sse_event(progress_notification());
            co_await chunk(stream, progress);
            const bool released = co_await wait_released(3s);
            {
                std::lock_guard lock(server.mutex_);
                server.released_in_time_ = released;
            }
            const std::string done = done_event(id);
            co_await chunk(stream, done);
            co_await last_chunk(stream);
            co_return true;
        }
        if (method == "break" || method == "break_forever") {
            const std::string event_id = "ev-1";
            broken_streams[event_id] = id;
            resume_forever_breaks[event_id] = method == "break_forever";
            co_await start_sse(stream);
            const std::string progress = sse_event(progress_notification(), event_id, 100);
            co_await chunk(stream, progress);
            cut(stream);
            co_return false;
        }
        if (method == "echo_then_close") {
            // Says keep-alive, then drops the idle connection anyway (as servers with a short
            // keep-alive timeout do).
            const std::string body = echo_result(id, message);
            co_await respond(stream, http::status::ok, body);
            cut(stream);
            co_return false;
        }
        if (method == "no_answer") {
            co_await wait_until_client_leaves(stream, buffer);
            {
                std::lock_guard lock(server.mutex_);
                server.hang_closed_ = true;
            }
            server.changed_.notify_all();
            co_return false;
        }
        if (method == "hang") {
            co_await start_sse(stream);
            const std::string comment = ": working\n\n";
            co_await chunk(stream, comment);
            co_await wait_until_client_leaves(stream, buffer);
            {
                std::lock_guard lock(server.mutex_);
                server.hang_closed_ = true;
            }
            server.changed_.notify_all();
            co_return false;
        }
        const std::string body = unknown_method(id);
        co_await respond(stream, http::status::ok, body);
        co_return true;
    }

    template <class Stream>
    asio::awaitable<void> wait_until_client_leaves(Stream& stream, beast::flat_buffer& buffer) {
        for (;;) {
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(1024), kTuple);
            if (ec) co_return;
            buffer.commit(n);
            buffer.consume(n);
        }
    }

    asio::awaitable<bool> wait_released(std::chrono::milliseconds limit) {
        asio::steady_timer timer(acceptor.get_executor());
        const auto until = std::chrono::steady_clock::now() + limit;
        for (;;) {
            {
                std::lock_guard lock(server.mutex_);
                if (server.released_) {
                    server.released_ = false;
                    co_return true;
                }
            }
            if (std::chrono::steady_clock::now() >= until) co_return false;
            timer.expires_after(5ms);
            co_await timer.async_wait(kTuple);
        }
    }
};

FakeMcpServer::FakeMcpServer(Options options) : options_(std::move(options)) {
    if (!options_.cert_pem.empty()) {
        tls_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
        tls_->use_certificate_chain(asio::buffer(options_.cert_pem));
        tls_->use_private_key(asio::buffer(options_.key_pem), asio::ssl::context::pem);
    }
    impl_ = std::make_unique<Impl>(*this, io_);
    port_ = impl_->acceptor.local_endpoint().port();
    asio::co_spawn(io_, impl_->accept_loop(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
}

FakeMcpServer::~FakeMcpServer() {
    io_.stop();
    thread_.join();
}

std::string FakeMcpServer::url(const std::string& host) const {
    return std::string(tls_ ? "https://" : "http://") + host + ":" + std::to_string(port_) + "/mcp";
}

int FakeMcpServer::connections() const {
    std::lock_guard lock(mutex_);
    return connections_;
}

std::vector<RecordedRequest> FakeMcpServer::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

std::vector<RecordedRequest> FakeMcpServer::requests_with(const std::string& verb) const {
    std::vector<RecordedRequest> out;
    for (auto& r : requests()) {
        if (r.verb == verb) out.push_back(r);
    }
    return out;
}

void FakeMcpServer::expire_session() {
    std::lock_guard lock(mutex_);
    expired_ = true;
}

void FakeMcpServer::release_result() {
    std::lock_guard lock(mutex_);
    released_ = true;
}

std::optional<bool> FakeMcpServer::result_was_released() const {
    std::lock_guard lock(mutex_);
    return released_in_time_;
}

bool FakeMcpServer::wait_hang_closed(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [this] { return hang_closed_; });
}

bool FakeMcpServer::wait_for(const std::function<bool(const std::vector<RecordedRequest>&)>& pred,
                             std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return pred(requests_); });
}

}  // namespace mcpproxy::test
