#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "duration_parse.hpp"
#include "token_hasher.hpp"
#include "token_record.hpp"
#include "token_store.hpp"

namespace mcpproxy::agent_token {

class TokenNotFound : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The token exists but its state forbids the operation (regenerating a revoked or expired token).
class TokenStateConflict : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct CreateOptions {
    std::string name;
    std::vector<std::string> allowed_servers{"*"};
    sdk::Permission permission = sdk::Permission::read;
    std::chrono::seconds lifetime = kDefaultLifetime;
    sdk::Limits limits;
};

// A token with its secret, returned only by create and regenerate; the secret is never stored.
struct IssuedToken {
    TokenRecord record;
    std::string secret;
};

// The operations behind `mcpproxy token ...`, on the store directly, so they work whether a proxy
// is running or not. Errors are exceptions with a one-line message fit for the terminal.
class TokenService {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;
    TokenService(std::filesystem::path data_dir, Clock clock,
                 std::chrono::milliseconds busy_timeout);
    ~TokenService();

    IssuedToken create(const CreateOptions& options);
    [[nodiscard]] std::vector<TokenRecord> list();
    [[nodiscard]] TokenRecord show(std::string_view name);
    // False when the token was already revoked.
    bool revoke(std::string_view name);
    void remove(std::string_view name);
    // New secret, same settings. grace 0: the old secret stops at once. lifetime: a new expiry from
    // now (needed when the token has already expired).
    IssuedToken regenerate(std::string_view name, std::chrono::seconds grace,
                           std::optional<std::chrono::seconds> lifetime);

    [[nodiscard]] Seconds now() const;
    [[nodiscard]] const std::filesystem::path& data_dir() const noexcept { return data_dir_; }

private:
    const TokenHasher& hasher();

    std::filesystem::path data_dir_;
    Clock clock_;
    TokenStore store_;
    std::unique_ptr<TokenHasher> hasher_;
};

}  // namespace mcpproxy::agent_token
