#include "tests/integration/oauth-client/fake_authorization_server.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>

#include "upstream/oauth_urls.hpp"
#include "upstream/pkce.hpp"

namespace mcpproxy::test::oauth_client {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Json = nlohmann::json;
using mcpproxy::oauth::parse_query;

namespace {

long long now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

FakeAuthorizationServer::FakeAuthorizationServer()
    : acceptor_(io_, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
}

FakeAuthorizationServer::~FakeAuthorizationServer() {
    io_.stop();
    thread_.join();
}

unsigned short FakeAuthorizationServer::port() const {
    return acceptor_.local_endpoint().port();
}

std::string FakeAuthorizationServer::base() const {
    return "http://127.0.0.1:" + std::to_string(port());
}

void FakeAuthorizationServer::set_token_lifetime(int seconds) {
    std::lock_guard lock(mutex_);
    lifetime_ = seconds;
}

void FakeAuthorizationServer::revoke_all_refresh_tokens() {
    std::lock_guard lock(mutex_);
    refresh_tokens_.clear();
}

FakeAuthorizationServer::Counters FakeAuthorizationServer::counters() const {
    std::lock_guard lock(mutex_);
    return counters_;
}

std::vector<std::string> FakeAuthorizationServer::issued_secrets() const {
    std::lock_guard lock(mutex_);
    return issued_;
}

void FakeAuthorizationServer::accept() {
    acceptor_.async_accept([this](beast::error_code ec, asio::ip::tcp::socket socket) {
        if (ec) return;
        // One request per connection, answered synchronously (Connection: close).
        beast::flat_buffer buffer;
        http::request<http::string_body> req;
        beast::error_code rec;
        http::read(socket, buffer, req, rec);
        if (!rec) {
            std::map<std::string, std::string> headers;
            for (const auto& f : req) {
                std::string name(f.name_string());
                for (auto& c : name) c = static_cast<char>(std::tolower(c));
                headers[name] = std::string(f.value());
            }
            const auto reply = handle(std::string(req.method_string()), std::string(req.target()),
                                      headers, req.body());
            http::response<http::string_body> res{static_cast<http::status>(reply.status), 11};
            res.set(http::field::content_type, "application/json");
            for (const auto& [k, v] : reply.headers) res.set(k, v);
            res.body() = reply.body;
            res.prepare_payload();
            res.keep_alive(false);
            http::write(socket, res, rec);
        }
        beast::error_code ignored;
        socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        accept();
    });
}

Json FakeAuthorizationServer::issue(const std::string& client_id) {
    const auto access = "at-" + std::to_string(next_id_) + "-" + oauth::random_urlsafe(8);
    const auto refresh = "rt-" + std::to_string(next_id_++) + "-" + oauth::random_urlsafe(8);
    access_tokens_[access] = {now_seconds() + lifetime_};
    issued_.push_back(access);
    issued_.push_back(refresh);
    refresh_tokens_[refresh] = client_id;
    return {{"access_token", access},
            {"token_type", "Bearer"},
            {"expires_in", lifetime_},
            {"refresh_token", refresh},
            {"scope", "mcp"}};
}

FakeAuthorizationServer::Reply FakeAuthorizationServer::token(
    const std::map<std::string, std::string>& form) {
    const auto get = [&](const char* k) {
        const auto it = form.find(k);
        return it == form.end() ? std::string() : it->second;
    };
    const auto error = [](const char* code) {
        return Reply{400, {}, Json{{"error", code}}.dump()};
    };
    if (get("resource") != base() + "/mcp") counters_.every_grant_had_resource = false;
    const auto grant = get("grant_type");
    if (grant == "authorization_code") {
        const auto it = codes_.find(get("code"));
        if (it == codes_.end()) return error("invalid_grant");
        const auto code = it->second;
        codes_.erase(it);  // one use only
        if (code.client_id != get("client_id") || code.redirect_uri != get("redirect_uri") ||
            oauth::s256_challenge(get("code_verifier")) != code.challenge) {
            return error("invalid_grant");
        }
        ++counters_.code_grants;
        return {200, {{"Cache-Control", "no-store"}}, issue(code.client_id).dump()};
    }
    if (grant == "refresh_token") {
        const auto it = refresh_tokens_.find(get("refresh_token"));
        if (it == refresh_tokens_.end() || it->second != get("client_id")) {
            ++counters_.refresh_rejections;
            return error("invalid_grant");
        }
        const auto client = it->second;
        refresh_tokens_.erase(it);  // rotation
        ++counters_.refresh_grants;
        return {200, {{"Cache-Control", "no-store"}}, issue(client).dump()};
    }
    return error("unsupported_grant_type");
}

FakeAuthorizationServer::Reply FakeAuthorizationServer::mcp(
    const std::map<std::string, std::string>& headers, const std::string& body) {
    const auto auth = headers.find("authorization");
    const std::string prefix = "Bearer ";
    bool valid = false;
    if (auth != headers.end() && auth->second.starts_with(prefix)) {
        const auto it = access_tokens_.find(auth->second.substr(prefix.size()));
        valid = it != access_tokens_.end() && it->second.expires_at > now_seconds();
    }
    if (!valid) {
        ++counters_.mcp_unauthorized;
        return {401,
                {{"WWW-Authenticate",
                  "Bearer resource_metadata=\"" + base() +
                      "/.well-known/oauth-protected-resource/mcp\", scope=\"mcp\""}},
                R"({"error":"invalid_token"})"};
    }
    ++counters_.mcp_ok;
    const auto msg = Json::parse(body, nullptr, false);
    if (!msg.is_object() || !msg.contains("id")) return {202, {}, ""};
    const auto method = msg.value("method", std::string());
    Json result = Json::object();
    if (method == "initialize") {
        result = {{"protocolVersion", msg["params"].value("protocolVersion", "2025-06-18")},
                  {"capabilities", {{"tools", Json::object()}}},
                  {"serverInfo", {{"name", "oauth-protected"}, {"version", "1"}}}};
    } else if (method == "tools/list") {
        Json tool{{"name", "whoami"},
                  {"description", "says the caller is authorized"},
                  {"inputSchema", {{"type", "object"}}}};
        result = Json{{"tools", Json::array({tool})}};
    } else if (method == "tools/call") {
        Json text{{"type", "text"}, {"text", "authorized"}};
        result = Json{{"content", Json::array({text})}};
    }
    return {200, {}, Json{{"jsonrpc", "2.0"}, {"id", msg["id"]}, {"result", result}}.dump()};
}

FakeAuthorizationServer::Reply FakeAuthorizationServer::handle(
    const std::string& method, const std::string& target,
    const std::map<std::string, std::string>& headers, const std::string& body) {
    std::lock_guard lock(mutex_);
    const auto q = target.find('?');
    const auto path = target.substr(0, q);
    const auto query = parse_query(q == std::string::npos ? std::string_view()
                                                          : std::string_view(target).substr(q + 1));
    if (path == "/.well-known/oauth-protected-resource/mcp") {
        return {200,
                {},
                Json{{"resource", base() + "/mcp"},
                     {"authorization_servers", {base()}},
                     {"scopes_supported", {"mcp"}},
                     {"bearer_methods_supported", {"header"}}}
                    .dump()};
    }
    if (path == "/.well-known/oauth-authorization-server") {
        return {200,
                {},
                Json{{"issuer", base()},
                     {"authorization_endpoint", base() + "/authorize"},
                     {"token_endpoint", base() + "/token"},
                     {"registration_endpoint", base() + "/register"},
                     {"revocation_endpoint", base() + "/revoke"},
                     {"response_types_supported", {"code"}},
                     {"grant_types_supported", {"authorization_code", "refresh_token"}},
                     {"code_challenge_methods_supported", {"S256"}},
                     {"token_endpoint_auth_methods_supported", {"none"}}}
                    .dump()};
    }
    if (path == "/register" && method == "POST") {
        const auto j = Json::parse(body, nullptr, false);
        if (!j.is_object() || !j.contains("redirect_uris") || j["redirect_uris"].size() != 1)
            return {400, {}, R"({"error":"invalid_redirect_uri"})"};
        const auto id = "client-" + std::to_string(next_id_++);
        clients_[id] = j["redirect_uris"][0].get<std::string>();
        ++counters_.registrations;
        return {201,
                {},
                Json{{"client_id", id},
                     {"redirect_uris", j["redirect_uris"]},
                     {"token_endpoint_auth_method", "none"}}
                    .dump()};
    }
    if (path == "/authorize" && method == "GET") {
        const auto get = [&](const char* k) {
            const auto it = query.find(k);
            return it == query.end() ? std::string() : it->second;
        };
        const auto client = clients_.find(get("client_id"));
        if (client == clients_.end() || client->second != get("redirect_uri") ||
            get("response_type") != "code" || get("code_challenge_method") != "S256" ||
            get("code_challenge").size() != 43 || get("state").empty() ||
            get("resource") != base() + "/mcp") {
            return {400, {}, R"({"error":"invalid_request"})"};
        }
        const auto code = "code-" + oauth::random_urlsafe(16);
        codes_[code] = {client->first, client->second, get("code_challenge")};
        return {302,
                {{"Location",
                  oauth::with_query(client->second, {{"code", code}, {"state", get("state")}})}},
                ""};
    }
    if (path == "/token" && method == "POST") {
        const auto form = parse_query(body);
        return token({form.begin(), form.end()});
    }
    if (path == "/revoke" && method == "POST") {
        const auto form = parse_query(body);
        if (const auto it = form.find("token"); it != form.end()) {
            refresh_tokens_.erase(it->second);
            access_tokens_.erase(it->second);
        }
        ++counters_.revocations;
        return {200, {}, ""};
    }
    if (path == "/mcp") {
        if (method == "POST") return mcp(headers, body);
        return {405, {}, ""};
    }
    return {404, {}, R"({"error":"not_found"})"};
}

}  // namespace mcpproxy::test::oauth_client
