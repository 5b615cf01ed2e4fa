// A minimal Streamable-HTTP MCP server for benchmarks: read-only tools `echo` and `repeat`, JSON
// replies, keep-alive, loopback only. Sessions are issued at initialize but not checked afterwards,
// so the server stays as cheap as a real upstream can be. It is both the "direct" target of the
// load benchmark and the upstream that mcpproxy fronts.
//
// Usage: bench_echo_mcp_http_server PORT [--threads N]   (PORT 0: pick one, print "LISTENING
// <port>")

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "echo_mcp_handler.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

std::string new_session_id() {
    thread_local std::mt19937_64 random{std::random_device{}()};
    static constexpr char hex[] = "0123456789abcdef";
    std::string id(32, '0');
    for (auto& c : id) c = hex[random() % 16];
    return id;
}

Response text_response(const Request& req, http::status status, std::string body,
                       std::string_view content_type) {
    Response res{status, req.version()};
    res.keep_alive(req.keep_alive());
    if (!body.empty()) res.set(http::field::content_type, content_type);
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

Response answer_post(const Request& req) {
    boost::system::error_code ec;
    const auto message = json::parse(req.body(), ec);
    if (ec) {
        return text_response(
            req, http::status::bad_request,
            R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}})",
            "application/json");
    }
    const auto reply = bench::answer_mcp_message(message);
    if (!reply) return text_response(req, http::status::accepted, {}, {});
    auto res = text_response(req, http::status::ok, json::serialize(*reply), "application/json");
    if (bench::is_initialize_request(message)) res.set("Mcp-Session-Id", new_session_id());
    return res;
}

Response answer(const Request& req) {
    switch (req.method()) {
        case http::verb::post:
            return answer_post(req);
        case http::verb::delete_:
            return text_response(req, http::status::ok, {}, {});
        default: {
            auto res = text_response(req, http::status::method_not_allowed, {}, {});
            res.set(http::field::allow, "POST, DELETE");
            return res;
        }
    }
}

asio::awaitable<void> serve_connection(tcp::socket socket) {
    socket.set_option(tcp::no_delay(true));
    beast::flat_buffer buffer;
    for (;;) {
        Request req;
        auto [read_ec, read_bytes] = co_await http::async_read(socket, buffer, req, use_tuple);
        if (read_ec) co_return;  // closed by the client, or garbage: either way we are done
        const auto res = answer(req);
        auto [write_ec, written] = co_await http::async_write(socket, res, use_tuple);
        if (write_ec || !res.keep_alive()) co_return;
    }
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor) {
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
        if (ec == asio::error::operation_aborted) co_return;
        if (ec) continue;
        asio::co_spawn(acceptor.get_executor(), serve_connection(std::move(socket)),
                       asio::detached);
    }
}

struct Options {
    unsigned short port = 0;
    unsigned threads = 1;
};

Options parse_options(int argc, char** argv) {
    Options options;
    if (argc < 2)
        throw std::invalid_argument("usage: bench_echo_mcp_http_server PORT [--threads N]");
    options.port = static_cast<unsigned short>(std::stoul(argv[1]));
    for (int i = 2; i < argc; ++i) {
        if (std::string_view(argv[i]) == "--threads" && i + 1 < argc) {
            options.threads = static_cast<unsigned>(std::max(1UL, std::stoul(argv[++i])));
        } else {
            throw std::invalid_argument(std::string("unknown argument: ") + argv[i]);
        }
    }
    return options;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const auto options = parse_options(argc, argv);
        asio::io_context io{static_cast<int>(options.threads)};
        tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), options.port}};
        std::printf("LISTENING %u\n", static_cast<unsigned>(acceptor.local_endpoint().port()));
        std::fflush(stdout);

        asio::signal_set signals{io, SIGINT, SIGTERM};
        signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
        asio::co_spawn(io, accept_loop(acceptor), asio::detached);

        std::vector<std::thread> extra;
        for (unsigned i = 1; i < options.threads; ++i) extra.emplace_back([&io] { io.run(); });
        io.run();
        for (auto& t : extra) t.join();
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_echo_mcp_http_server: %s\n", e.what());
        return 1;
    }
}
