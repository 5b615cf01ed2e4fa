#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "upstream/sqlite_db.hpp"
#include "upstream/token_record.hpp"

namespace mcpproxy::oauth {

inline constexpr const char* kTokenStoreFileName = "upstream-oauth.db";

// Upstream OAuth tokens and registered clients in <data dir>/upstream-oauth.db: SQLite in WAL
// mode, file mode 0600, versioned schema, every write one transaction. Shared by the CLI (`auth
// login` / `logout`) and the running proxy, which polls data_version() to see the CLI's writes.
class TokenStore {
public:
    explicit TokenStore(const std::filesystem::path& data_dir);

    [[nodiscard]] const std::filesystem::path& file() const { return file_; }
    // Changes whenever another connection commits (PRAGMA data_version).
    [[nodiscard]] std::int64_t data_version() const;

    [[nodiscard]] std::vector<TokenRecord> tokens() const;
    [[nodiscard]] std::optional<TokenRecord> token(const std::string& server) const;
    void put_token(const TokenRecord& record);
    // Replaces the row only while it still holds expected_refresh (a login in between wins).
    bool replace_token_if(const std::string& expected_refresh, const TokenRecord& record);
    bool mark_login_needed_if(const std::string& server, const std::string& expected_refresh,
                              const std::string& reason);
    bool delete_token(const std::string& server);

    [[nodiscard]] std::optional<ClientRecord> client(const std::string& server) const;
    void put_client(const ClientRecord& record);

private:
    std::filesystem::path file_;
    mutable SqlDatabase db_;
};

// Creates the file with mode 0600 when missing, tightens an existing one; refuses symlinks.
void ensure_private_file(const std::filesystem::path& file);

}  // namespace mcpproxy::oauth
