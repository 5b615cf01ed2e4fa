#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "upstream/token_record.hpp"

namespace mcpproxy::oauth {

// The tokens the running proxy sends, in memory, so headers_for never touches the disk.
struct CachedToken {
    std::string access_token;  // secret
    std::int64_t expires_at = 0;
    bool refreshable = false;  // holds a refresh token and is not marked login-needed
    std::string login_needed;
    std::uint64_t generation = 0;  // changes whenever access_token changes
    bool handed_out = false;       // headers_for returned this access token at least once
};

class TokenSnapshot {
public:
    // Replaces everything with the store's rows; an unchanged access token keeps its generation.
    // Returns the servers whose access token is new or changed.
    std::vector<std::string> replace_all(const std::vector<TokenRecord>& records);
    // The access token for server, marking it handed out; nullopt when there is none.
    [[nodiscard]] std::optional<std::string> hand_out(const std::string& server);
    [[nodiscard]] std::optional<CachedToken> get(const std::string& server) const;
    [[nodiscard]] std::vector<std::pair<std::string, CachedToken>> all() const;

    // Remembers that the upstream refused this generation; true the first time for it.
    bool note_refused(const std::string& server, std::uint64_t generation);

private:
    mutable std::mutex mutex_;
    std::map<std::string, CachedToken> tokens_;
    std::map<std::string, std::uint64_t> refused_generation_;
    std::uint64_t next_generation_ = 1;
};

}  // namespace mcpproxy::oauth
