#include "kernel/upstream/http/http_transport.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <cctype>
#include <functional>

#include "kernel/protocol/jsonrpc.hpp"
#include "kernel/upstream/http/http_tls.hpp"

namespace mcpproxy::upstream {
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;

namespace {

constexpr auto kConnectTimeout = 10s;
constexpr auto kWriteTimeout = 30s;
constexpr auto kDeleteTimeout = 2s;
constexpr auto kErrorBodyTimeout = 2s;
constexpr auto kDefaultRetry = 1000ms;
constexpr auto kMaxRetry = 60s;
constexpr int kMaxFruitlessResumes = 3;
constexpr auto kGetStreamMinBackoff = 1s;
constexpr auto kGetStreamMaxBackoff = 30s;
constexpr auto kGetStreamHealthyAfter = 30s;
constexpr std::size_t kMaxErrorSnippet = 200;
constexpr std::size_t kErrorBodyReadLimit = 1024;
constexpr std::size_t kMinSecretPart = 6;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

bool starts_with_ci(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
    }
    return true;
}

bool is_event_stream(const http::ResponseParser& parser) {
    return starts_with_ci(parser.get()[bhttp::field::content_type], "text/event-stream");
}

bool is_json(const http::ResponseParser& parser) {
    return starts_with_ci(parser.get()[bhttp::field::content_type], "application/json");
}

// The server closed an idle keep-alive connection just as we reused it: safe to send again.
bool is_stale_connection(const boost::system::error_code& ec) {
    return ec == asio::error::eof || ec == bhttp::error::end_of_stream ||
           ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
           ec == asio::ssl::error::stream_truncated;
}

std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        out.push_back(u < 0x20 || u == 0x7f ? ' ' : c);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

void replace_all(std::string& text, std::string_view what, std::string_view with) {
    if (what.empty()) return;
    for (auto pos = text.find(what); pos != std::string::npos;
         pos = text.find(what, pos + with.size())) {
        text.replace(pos, what.size(), with);
    }
}

// A header value and, for a server that echoes a token without its scheme ("Bearer ..."), its
// longer parts, for redaction.
void add_secret_parts(std::vector<std::string>& secrets, const std::string& value) {
    secrets.push_back(value);
    std::size_t start = 0;
    while (start < value.size()) {
        const auto end = std::min(value.find_first_of(" \t,;", start), value.size());
        if (end - start >= kMinSecretPart && end - start < value.size()) {
            secrets.push_back(value.substr(start, end - start));
        }
        start = end + 1;
    }
}

// A stream of server messages may set retry to anything; keep the wait sane.
std::chrono::milliseconds retry_delay(const http::StreamState& state) {
    return std::clamp(state.retry.value_or(kDefaultRetry), std::chrono::milliseconds(0),
                      std::chrono::milliseconds(kMaxRetry));
}

// The upstream manager already hands each upstream a strand: use it rather than a strand of a
// strand, so work the client above does on that strand reaches us without a hop.
asio::any_io_executor serialized(asio::any_io_executor executor) {
    if (executor.target<asio::strand<asio::io_context::executor_type>>() != nullptr ||
        executor.target<asio::strand<asio::any_io_executor>>() != nullptr) {
        return executor;
    }
    return asio::make_strand(executor);
}

}  // namespace

HttpTransport::Lane::Lane(asio::any_io_executor lane_executor,
                          std::shared_ptr<asio::ssl::context> tls, bool verify_peer)
    : context(&asio::query(lane_executor, asio::execution::context)),
      executor(lane_executor),
      pool(std::move(lane_executor), std::move(tls), verify_peer) {}

HttpTransport::HttpTransport(asio::any_io_executor executor, const config::UpstreamConfig& config,
                             std::shared_ptr<spdlog::logger> log,
                             std::shared_ptr<CredentialSource> credentials,
                             std::vector<asio::any_io_executor> lanes)
    : strand_(serialized(std::move(executor))),
      config_(config),
      log_(std::move(log)),
      credentials_(std::move(credentials)),
      lane_executors_(std::move(lanes)) {
    try {
        url_ = http::parse_upstream_url(config_.url);
        description_ = "http: " + url_->display;
    } catch (const std::invalid_argument& e) {
        url_error_ = e.what();
        description_ = "http: (invalid url)";
    }
    for (const auto& [name, value] : config_.headers) add_secret_parts(secrets_, value);
    std::erase_if(secrets_, [](const std::string& s) { return s.size() < 4; });
    std::sort(secrets_.begin(), secrets_.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

HttpTransport::~HttpTransport() = default;

std::string HttpTransport::describe() const {
    return description_;
}

std::optional<std::string> HttpTransport::www_authenticate() const {
    std::lock_guard lock(mutex_);
    return www_authenticate_;
}

std::string HttpTransport::session_id() const {
    std::lock_guard lock(mutex_);
    return session_id_;
}

std::optional<std::string> HttpTransport::login_needed() const {
    std::lock_guard lock(mutex_);
    return login_needed_;
}

std::size_t HttpTransport::credentials_fingerprint() const {
    if (!ask_credentials_) return 0;
    std::size_t seed = 0;
    for (const auto& h : credentials_->headers_for(config_.name, config_.url)) {
        seed = seed * 31 + std::hash<std::string>{}(h.name + ": " + h.value);
    }
    return seed;
}

std::string HttpTransport::credential_lines() {
    if (!ask_credentials_) return {};
    std::vector<std::pair<std::string, std::string>> headers;
    for (auto& h : credentials_->headers_for(config_.name, config_.url)) {
        headers.emplace_back(std::move(h.name), std::move(h.value));
    }
    std::vector<std::string> secrets;
    for (const auto& header : headers) add_secret_parts(secrets, header.second);
    {
        std::lock_guard lock(mutex_);
        credential_secrets_ = std::move(secrets);
    }
    return heads_->render_extra(headers);
}

sdk::UnauthorizedAnswer HttpTransport::answer_401(http::ConnectionLease& lease) {
    const std::string challenge(lease->response().get()[bhttp::field::www_authenticate]);
    {
        std::lock_guard lock(mutex_);
        www_authenticate_ =
            challenge.empty() ? std::nullopt : std::optional<std::string>(challenge);
    }
    return credentials_->on_unauthorized(config_.name, config_.url, challenge);
}

http::HttpStatusError HttpTransport::note_login_needed(const std::string& detail,
                                                       bool report_closed) {
    std::string message = detail;
    if (message.empty()) message = "log in to upstream " + config_.name;
    if (!message.starts_with("login needed")) message = "login needed: " + message;
    bool first = false;
    {
        std::lock_guard lock(mutex_);
        first = !login_needed_;
        login_needed_ = message;
    }
    if (first) log_->warn("{}", message);
    if (report_closed && !closing_.load() && !closed_reported_.exchange(true)) {
        // After the failing call got its own error: the manager then reconnects on its slow
        // login-needed cadence instead of keeping a session whose credentials are refused.
        asio::post(strand_, [self = shared_from_this(), message] {
            if (self->handlers_.on_closed) self->handlers_.on_closed(message);
        });
    }
    return http::HttpStatusError(401, message);
}

std::runtime_error HttpTransport::closed_error() const {
    return std::runtime_error(description_ + ": the transport is closed");
}

asio::awaitable<void> HttpTransport::open(TransportHandlers handlers) {
    if (!url_) throw std::invalid_argument(url_error_);
    if (opened_.load()) throw std::logic_error("HttpTransport::open called twice");
    heads_.emplace(*url_, config_.headers);  // throws on a malformed configured header
    ask_credentials_ = credentials_ != nullptr && !heads_->configures("authorization");
    if (credentials_ && !ask_credentials_) {
        log_->debug("an Authorization header is configured: credential plugins are not asked");
    }
    if (url_->tls) {
        tls_ = http::make_client_tls_context(config_.tls_verify, config_.ca_file);
        if (!config_.tls_verify) {
            log_->warn("TLS certificate verification is off for this upstream (tls_verify=false)");
        }
    }
    handlers_ = std::move(handlers);
    pool_.emplace(strand_, tls_, config_.tls_verify);
    for (const auto& lane : lane_executors_) {
        lanes_.push_back(std::make_shared<Lane>(lane, tls_, config_.tls_verify));
    }
    opened_.store(true);
    log_->debug("ready to talk to {}", description_);
    co_return;
}

void HttpTransport::initialized(const std::string& protocol_version) {
    {
        std::lock_guard lock(mutex_);
        protocol_version_ = protocol_version;
    }
    // Opened after the next accepted POST (the initialized notification), as the MCP SDKs do:
    // some servers refuse the GET stream before the session is fully initialized.
    get_stream_wanted_.store(true);
}

asio::awaitable<void> HttpTransport::send(Json message) {
    if (!opened_.load()) throw std::logic_error("HttpTransport::send before open");
    if (closing_.load()) throw closed_error();
    Outgoing out;
    if (protocol::classify(message) == protocol::MessageKind::request) {
        out.request_id = message["id"];
        out.is_initialize = message["method"] == "initialize";
    }
    out.body = message.dump(-1, ' ', false, Json::error_handler_t::replace);
    const auto here = co_await asio::this_coro::executor;
    if (here == strand_) {
        co_await post(std::move(out), *pool_);
    } else if (auto* lane = lane_for(here)) {
        co_await post(std::move(out), lane->pool);
    } else {
        co_await asio::co_spawn(strand_, post(std::move(out), *pool_), asio::use_awaitable);
    }
}

HttpTransport::Lane* HttpTransport::lane_for(const asio::any_io_executor& executor) const {
    if (lanes_.empty()) return nullptr;
    const auto* context = &asio::query(executor, asio::execution::context);
    for (const auto& lane : lanes_) {
        if (lane->context == context) return lane.get();
    }
    return nullptr;
}

// --- on the strand or on a lane's thread from here on ---

asio::awaitable<void> HttpTransport::post(Outgoing out, http::HttpConnectionPool& pool) {
    auto self = shared_from_this();
    if (session_expired_) throw std::runtime_error("upstream session expired");
    // A request refused with 401 was not acted on: it may go once more with fresh credentials.
    for (int attempt = 0;; ++attempt) {
        const std::string credentials = credential_lines();
        std::string head;
        bool sent_session = false;
        {
            std::lock_guard lock(mutex_);
            sent_session = !session_id_.empty() && !out.is_initialize;
            http::SessionHeaders session;
            if (sent_session) session.session_id = session_id_;
            session.protocol_version = protocol_version_;
            session.credentials = credentials;
            head = heads_->post(out.body.size(), session);
        }
        auto lease = co_await exchange(pool, head, out.body, false);
        const unsigned status = lease->response().get().result_int();
        if (status == 401 && ask_credentials_) {
            const auto answer = answer_401(lease);
            if (answer.verdict == sdk::UnauthorizedVerdict::retry && attempt == 0) {
                co_await read_small_body(std::move(lease), kErrorBodyReadLimit);
                log_->debug("the upstream answered 401; retrying once with fresh credentials");
                continue;
            }
            if (answer.verdict == sdk::UnauthorizedVerdict::login_needed) {
                co_await read_small_body(std::move(lease), kErrorBodyReadLimit);
                throw note_login_needed(answer.detail, !out.is_initialize);
            }
        }
        if (status < 200 || status >= 300) {
            co_await fail_with_status(std::move(lease), status, sent_session);
            co_return;
        }
        if (out.is_initialize) remember_session(lease->response().get()["Mcp-Session-Id"]);
        co_await consume_reply(std::move(lease), std::move(out.request_id));
        // Only now: the GET would otherwise not find this request's connection idle.
        maybe_start_get_stream();
        co_return;
    }
}

asio::awaitable<void> HttpTransport::consume_reply(http::ConnectionLease lease,
                                                   std::optional<Json> request_id) {
    if (lease->response().is_done()) {  // 202 Accepted, or an empty body
        lease.release();
        co_return;
    }
    if (is_event_stream(lease->response())) {
        // Read where the connection lives (its pool is confined to this thread).
        auto state = std::make_shared<http::StreamState>();
        state->request_id = std::move(request_id);
        asio::co_spawn(co_await asio::this_coro::executor,
                       read_request_stream(std::move(lease), std::move(state)), asio::detached);
        co_return;
    }
    const bool json = is_json(lease->response());
    if (!json && request_id) {
        const std::string type = printable(lease->response().get()[bhttp::field::content_type]);
        throw std::runtime_error(description_ + " answered with content type \"" +
                                 type.substr(0, 64) +
                                 "\" (expected application/json or text/event-stream)");
    }
    http::StreamState state;
    state.request_id = std::move(request_id);
    std::string text;
    try {
        for (;;) {
            const auto piece = co_await lease->read_body_some();
            if (piece.empty()) break;
            if (text.empty() && lease->response().is_done()) {
                // The whole body came in one read (the usual case): parse it where it lies.
                if (json) http::deliver_json_text(piece, state, handlers_.on_message, *log_);
                lease.release();
                co_return;
            }
            if (text.size() + piece.size() > http::kMaxMessageBytes) {
                throw std::runtime_error(description_ + " sent a reply larger than " +
                                         std::to_string(http::kMaxMessageBytes >> 20) + " MiB");
            }
            text.append(piece);
        }
    } catch (const boost::system::system_error& e) {
        if (closing_.load()) throw closed_error();
        throw std::runtime_error(description_ + ": the reply broke off (" + e.code().message() +
                                 ")");
    }
    if (json) http::deliver_json_text(text, state, handlers_.on_message, *log_);
    lease.release();
}

asio::awaitable<void> HttpTransport::fail_with_status(http::ConnectionLease lease, unsigned status,
                                                      bool sent_session) {
    if (status == 401 || status == 403) {
        const auto challenge = lease->response().get()[bhttp::field::www_authenticate];
        std::lock_guard lock(mutex_);
        www_authenticate_ =
            challenge.empty() ? std::nullopt : std::optional<std::string>(std::string(challenge));
    }
    const std::string body = co_await read_small_body(std::move(lease), kErrorBodyReadLimit);
    std::string snippet = redact(printable(body));
    if (snippet.size() > kMaxErrorSnippet) snippet.resize(kMaxErrorSnippet);
    if (status == 404 && sent_session) {
        session_lost();
        throw http::HttpStatusError(status, "upstream session expired (HTTP 404)");
    }
    if (status == 401) {
        throw http::HttpStatusError(
            status, "upstream requires authentication (HTTP 401); configure credentials for it");
    }
    std::string message = "upstream answered HTTP " + std::to_string(status);
    if (!snippet.empty()) message += ": " + snippet;
    throw http::HttpStatusError(status, message);
}

asio::awaitable<std::string> HttpTransport::read_small_body(http::ConnectionLease lease,
                                                            std::size_t limit) {
    std::string body;
    lease->set_deadline(Clock::now() + kErrorBodyTimeout);
    try {
        while (body.size() < limit) {
            const auto piece = co_await lease->read_body_some();
            if (piece.empty()) break;
            body.append(piece.substr(0, limit - body.size()));
        }
    } catch (const boost::system::system_error&) {
    }
    if (lease->response().is_done()) {
        lease->set_deadline(std::nullopt);
        lease.release();
    } else {
        lease.discard();
    }
    co_return body;
}

std::string HttpTransport::redact(std::string text) const {
    std::vector<std::string> secrets = secrets_;
    {
        std::lock_guard lock(mutex_);
        secrets.insert(secrets.end(), credential_secrets_.begin(), credential_secrets_.end());
    }
    std::erase_if(secrets, [](const std::string& s) { return s.size() < 4; });
    std::sort(secrets.begin(), secrets.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    for (const auto& secret : secrets) replace_all(text, secret, "[redacted]");
    return text;
}

asio::awaitable<http::ConnectionLease> HttpTransport::exchange(
    http::HttpConnectionPool& pool, const std::string& head, std::string_view body, bool replayable,
    std::optional<Clock::time_point> deadline, bool even_when_closing) {
    for (int attempt = 0;; ++attempt) {
        if (closing_.load() && !even_when_closing) throw closed_error();
        auto lease = pool.take_idle();
        const bool reused = static_cast<bool>(lease);
        if (!reused) lease = pool.make_new();
        lease->set_deadline(deadline);
        bool written = false;
        try {
            if (!reused) co_await lease->connect(*url_, kConnectTimeout);
            co_await lease->write(head, body, kWriteTimeout);
            written = true;
            co_await lease->read_header();
            co_return lease;
        } catch (const boost::system::system_error& e) {
            if (closing_.load() && !even_when_closing) throw closed_error();
            // Once a POST is written the server may have acted on it: never send it twice.
            if (reused && attempt == 0 && is_stale_connection(e.code()) &&
                (!written || replayable)) {
                log_->trace("an idle connection was closed by the upstream; retrying on a new one");
                continue;
            }
            const bool timed_out = e.code() == boost::beast::error::timeout;
            throw std::runtime_error(description_ + ": " +
                                     (timed_out ? std::string("timed out") : e.code().message()));
        } catch (const std::runtime_error& e) {
            if (closing_.load() && !even_when_closing) throw closed_error();
            throw std::runtime_error(description_ + ": " + e.what());
        }
    }
}

asio::awaitable<bool> HttpTransport::pump(http::ConnectionLease& lease, http::StreamState& state,
                                          bool stop_at_response) {
    http::EventStreamDecoder decoder(state, handlers_.on_message, *log_);
    try {
        for (;;) {
            const auto piece = co_await lease->read_body_some();
            if (piece.empty()) {
                lease.release();
                co_return true;
            }
            if (closing_.load()) break;
            if (!decoder.feed(piece)) {
                log_->warn("the upstream sent an event larger than {} MiB; dropping its stream",
                           http::kMaxMessageBytes >> 20);
                break;
            }
            if (stop_at_response && state.got_response) break;
        }
    } catch (const boost::system::system_error& e) {
        if (!closing_.load()) log_->debug("an upstream event stream broke: {}", e.code().message());
    }
    lease.discard();
    co_return false;
}

asio::awaitable<void> HttpTransport::read_request_stream(http::ConnectionLease lease,
                                                         std::shared_ptr<http::StreamState> state) {
    auto self = shared_from_this();
    co_await pump(lease, *state, false);
    if (closing_.load() || state->got_response || !state->request_id) co_return;
    asio::co_spawn(strand_, resume(std::move(state)), asio::detached);
}

// --- on the strand from here on ---

asio::awaitable<void> HttpTransport::resume(std::shared_ptr<http::StreamState> state) {
    auto self = shared_from_this();
    int fruitless = 0;
    while (!closing_.load() && !state->got_response && !session_expired_) {
        if (state->last_event_id.empty()) {
            log_->debug("an event stream ended before its response and cannot be resumed (no id)");
            break;
        }
        if (fruitless >= kMaxFruitlessResumes) break;
        ++fruitless;
        if (!co_await sleep_unless_closing(retry_delay(*state))) co_return;
        const auto delivered_before = state->delivered;
        bool give_up = false;
        try {
            const std::string credentials = credential_lines();
            std::string head;
            {
                std::lock_guard lock(mutex_);
                auto session = session_headers(state->last_event_id);
                session.credentials = credentials;
                head = heads_->get_event_stream(session);
            }
            auto lease = co_await exchange(*pool_, head, {}, true);
            const unsigned status = lease->response().get().result_int();
            if (status == 200 && is_event_stream(lease->response())) {
                co_await pump(lease, *state, true);
            } else {
                log_->debug("resuming an event stream: the upstream answered HTTP {}", status);
                give_up = status == 404 || status == 405;
                if (status == 401 && ask_credentials_) {
                    const auto answer = answer_401(lease);
                    give_up = answer.verdict != sdk::UnauthorizedVerdict::retry;
                    if (answer.verdict == sdk::UnauthorizedVerdict::login_needed) {
                        (void)note_login_needed(answer.detail, true);
                    }
                }
                co_await read_small_body(std::move(lease), kErrorBodyReadLimit);
            }
        } catch (const std::exception& e) {
            if (closing_.load()) co_return;
            log_->debug("resuming an event stream failed: {}", e.what());
        }
        if (state->delivered > delivered_before) fruitless = 0;
        if (give_up) break;
    }
    if (closing_.load() || state->got_response) co_return;
    log_->debug("gave up waiting for the response on an upstream event stream");
    handlers_.on_message(IncomingMessage{
        protocol::make_error(*state->request_id, protocol::error_code::upstream_unavailable,
                             "upstream stream ended before the response"),
        state->request_id});
}

// Any thread.
void HttpTransport::maybe_start_get_stream() {
    if (!get_stream_wanted_.exchange(false)) return;
    asio::co_spawn(strand_, run_get_stream(), asio::detached);
}

asio::awaitable<void> HttpTransport::run_get_stream() {
    auto self = shared_from_this();
    http::StreamState state;
    Clock::duration backoff = kGetStreamMinBackoff;
    bool retried_401 = false;
    while (!closing_.load() && !session_expired_) {
        bool streamed = false;
        try {
            const std::string credentials = credential_lines();
            std::string head;
            {
                std::lock_guard lock(mutex_);
                auto session = session_headers(state.last_event_id);
                session.credentials = credentials;
                head = heads_->get_event_stream(session);
            }
            auto lease = co_await exchange(*pool_, head, {}, true);
            const unsigned status = lease->response().get().result_int();
            if (status == 401 && ask_credentials_) {
                const auto answer = answer_401(lease);
                co_await read_small_body(std::move(lease), kErrorBodyReadLimit);
                if (answer.verdict == sdk::UnauthorizedVerdict::retry && !retried_401) {
                    retried_401 = true;
                    continue;
                }
                if (answer.verdict == sdk::UnauthorizedVerdict::login_needed) {
                    (void)note_login_needed(answer.detail, true);
                }
                log_->debug("the upstream refused the GET event stream (HTTP 401)");
                co_return;
            }
            if (status == 200 && is_event_stream(lease->response())) {
                retried_401 = false;
                const auto started = Clock::now();
                const auto delivered_before = state.delivered;
                co_await pump(lease, state, false);
                streamed = true;
                if (state.delivered > delivered_before ||
                    Clock::now() - started >= kGetStreamHealthyAfter) {
                    backoff = kGetStreamMinBackoff;
                }
            } else {
                co_await read_small_body(std::move(lease), kErrorBodyReadLimit);
                if (status >= 400 && status < 500 && status != 408 && status != 429) {
                    // 405: the server offers no such stream; other client errors will not heal.
                    log_->debug("the upstream offers no GET event stream (HTTP {})", status);
                    co_return;
                }
                log_->debug("the upstream's GET event stream answered HTTP {}", status);
            }
        } catch (const std::exception& e) {
            if (closing_.load()) co_return;
            log_->debug("the upstream's GET event stream failed: {}", e.what());
        }
        // A server that closes its stream on purpose says when to come back (retry).
        Clock::duration delay =
            streamed && state.retry ? Clock::duration(retry_delay(state)) : backoff;
        if (!streamed || !state.retry)
            backoff = std::min<Clock::duration>(backoff * 2, kGetStreamMaxBackoff);
        if (!co_await sleep_unless_closing(delay)) co_return;
    }
}

asio::awaitable<bool> HttpTransport::sleep_unless_closing(Clock::duration delay) {
    if (closing_.load()) co_return false;
    asio::steady_timer timer(strand_, delay);
    timers_.insert(&timer);
    co_await timer.async_wait(kTuple);
    timers_.erase(&timer);
    co_return !closing_.load();
}

http::SessionHeaders HttpTransport::session_headers(std::string_view last_event_id) const {
    return {session_id_, protocol_version_, last_event_id, {}};
}

void HttpTransport::remember_session(std::string_view header_value) {
    if (header_value.empty()) return;
    if (!http::is_visible_ascii(header_value) || header_value.size() > 1024) {
        log_->warn("ignored an Mcp-Session-Id that is not visible ASCII");
        return;
    }
    std::lock_guard lock(mutex_);
    session_id_ = std::string(header_value);
}

void HttpTransport::session_lost() {
    session_expired_ = true;
    {
        std::lock_guard lock(mutex_);
        session_id_.clear();
    }
    if (closing_.load() || closed_reported_.exchange(true)) return;
    log_->info("the upstream ended our session (HTTP 404)");
    if (handlers_.on_closed) handlers_.on_closed("upstream session expired");
}

asio::awaitable<void> HttpTransport::close() {
    if (closing_.exchange(true)) co_return;
    if (!opened_.load()) co_return;
    co_await asio::co_spawn(strand_, close_on_strand(), asio::use_awaitable);
}

asio::awaitable<void> HttpTransport::close_on_strand() {
    auto self = shared_from_this();
    pool_->cancel_busy();
    // On each lane's own thread. Weak: if the transport is gone by then, its lanes' connections
    // went with it.
    for (const auto& lane : lanes_) {
        asio::post(lane->executor, [weak = std::weak_ptr<Lane>(lane)] {
            if (auto lane = weak.lock()) lane->pool.close_all();
        });
    }
    for (auto* timer : timers_) timer->cancel();
    bool has_session = false;
    {
        std::lock_guard lock(mutex_);
        has_session = !session_id_.empty();
    }
    if (has_session && !session_expired_) {
        try {
            const std::string credentials = credential_lines();
            std::string head;
            {
                std::lock_guard lock(mutex_);
                auto session = session_headers({});
                session.credentials = credentials;
                head = heads_->delete_session(session);
            }
            auto lease =
                co_await exchange(*pool_, head, {}, true, Clock::now() + kDeleteTimeout, true);
            log_->debug("ended the upstream session (HTTP {})",
                        lease->response().get().result_int());
            lease.discard();
        } catch (const std::exception& e) {
            log_->debug("could not end the upstream session: {}", e.what());
        }
    }
    pool_->close_all();
}

}  // namespace mcpproxy::upstream
