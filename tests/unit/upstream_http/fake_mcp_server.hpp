#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace mcpproxy::test {

// What the fake saw of one HTTP request.
struct RecordedRequest {
    std::string verb;                            // GET, POST, DELETE
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string rpc_method;  // "method" of the JSON-RPC body, if any
    int connection = 0;      // which accepted connection carried it (1, 2, ...)
};

// A small Streamable-HTTP MCP server on 127.0.0.1 (port 0), run on its own thread. Its JSON-RPC
// methods are test scenarios:
//   initialize    JSON result; issues Mcp-Session-Id when issue_session
//   echo          JSON result {"echo": params}
//   batch         JSON array: a notifications/message, then the result
//   progress      SSE: a progress notification; waits (up to 3 s) for release_result(); the result
//   break         SSE: an event with id "ev-1" and retry 100 ms, then the connection is cut; a GET
//                 with Last-Event-ID: ev-1 gets the result (event id "ev-2")
//   break_forever like break, but resumed GETs are cut too
//   fail500       HTTP 500 whose body echoes the Authorization and X-Api-Key headers
//   unauthorized  HTTP 401 with a WWW-Authenticate challenge
//   hang          SSE headers, then nothing until the client goes away
//   no_answer     no response at all until the client goes away
//   echo_then_close  JSON result, then the connection is closed although it said keep-alive
// Notifications and responses get 202. With a session, a request without the header gets 400,
// with an unknown or expired one 404. GET gets 405 unless allow_get (then an SSE stream with one
// notifications/tools/list_changed that stays open) or it resumes a broken stream.
class FakeMcpServer {
public:
    struct Options {
        bool issue_session = true;
        bool allow_get = false;
        std::string cert_pem;  // TLS when set
        std::string key_pem;
    };

    explicit FakeMcpServer(Options options);
    FakeMcpServer() : FakeMcpServer(Options{}) {}
    ~FakeMcpServer();
    FakeMcpServer(const FakeMcpServer&) = delete;
    FakeMcpServer& operator=(const FakeMcpServer&) = delete;

    [[nodiscard]] std::string url(const std::string& host = "127.0.0.1") const;
    [[nodiscard]] std::string session_id() const { return session_id_; }
    [[nodiscard]] int connections() const;
    [[nodiscard]] std::vector<RecordedRequest> requests() const;
    [[nodiscard]] std::vector<RecordedRequest> requests_with(const std::string& verb) const;
    void expire_session();
    // Lets the "progress" scenario send its result.
    void release_result();
    // Whether the last "progress" result was released before the fake's own timeout.
    [[nodiscard]] std::optional<bool> result_was_released() const;
    // Waits until the client closed the connection of a "hang" or "no_answer" request.
    bool wait_hang_closed(std::chrono::milliseconds timeout);
    // Waits until pred() holds over the recorded requests.
    bool wait_for(const std::function<bool(const std::vector<RecordedRequest>&)>& pred,
                  std::chrono::milliseconds timeout);

private:
    struct Impl;
    friend struct Impl;

    Options options_;
    std::string session_id_ = "fake-session-7f3a";
    boost::asio::io_context io_;
    std::unique_ptr<boost::asio::ssl::context> tls_;
    unsigned short port_ = 0;
    std::unique_ptr<Impl> impl_;
    std::thread thread_;

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<RecordedRequest> requests_;
    int connections_ = 0;
    bool expired_ = false;
    bool released_ = false;
    std::optional<bool> released_in_time_;
    bool hang_closed_ = false;
};

}  // namespace mcpproxy::test
