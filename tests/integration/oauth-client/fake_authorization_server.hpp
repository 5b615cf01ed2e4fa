#pragma once

// A test authorization server and the MCP server it protects, over real HTTP on loopback:
// RFC 9728 metadata for /mcp, RFC 8414 metadata, dynamic client registration, /authorize that
// approves at once (302 to the redirect URI with code and state), /token (authorization_code
// with PKCE S256 checked, refresh_token with rotation, invalid_grant for revoked or unknown
// refresh tokens), /revoke, and a /mcp that answers MCP only with a valid access token.

#include <boost/asio.hpp>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace mcpproxy::test::oauth_client {

class FakeAuthorizationServer {
public:
    FakeAuthorizationServer();
    ~FakeAuthorizationServer();
    FakeAuthorizationServer(const FakeAuthorizationServer&) = delete;
    FakeAuthorizationServer& operator=(const FakeAuthorizationServer&) = delete;

    [[nodiscard]] std::string base() const;  // http://127.0.0.1:PORT (issuer and MCP origin)
    [[nodiscard]] unsigned short port() const;

    void set_token_lifetime(int seconds);
    void revoke_all_refresh_tokens();

    struct Counters {
        int registrations = 0;
        int code_grants = 0;
        int refresh_grants = 0;
        int refresh_rejections = 0;
        int revocations = 0;
        int mcp_ok = 0;
        int mcp_unauthorized = 0;
        bool every_grant_had_resource = true;
    };
    [[nodiscard]] Counters counters() const;
    // Every access and refresh token issued so far (to check none leaks into output or logs).
    [[nodiscard]] std::vector<std::string> issued_secrets() const;

private:
    struct Code {
        std::string client_id;
        std::string redirect_uri;
        std::string challenge;
    };
    struct Access {
        long long expires_at = 0;
    };
    void accept();
    // status, extra headers, body
    struct Reply {
        int status = 200;
        std::map<std::string, std::string> headers;
        std::string body;
    };
    Reply handle(const std::string& method, const std::string& target,
                 const std::map<std::string, std::string>& headers, const std::string& body);
    Reply token(const std::map<std::string, std::string>& form);
    Reply mcp(const std::map<std::string, std::string>& headers, const std::string& body);
    nlohmann::json issue(const std::string& client_id);

    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::thread thread_;
    mutable std::mutex mutex_;
    int lifetime_ = 3600;
    int next_id_ = 1;
    std::map<std::string, std::string> clients_;  // client_id -> redirect URI
    std::map<std::string, Code> codes_;
    std::map<std::string, std::string> refresh_tokens_;  // -> client_id
    std::map<std::string, Access> access_tokens_;
    Counters counters_;
    std::vector<std::string> issued_;
};

}  // namespace mcpproxy::test::oauth_client
