#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mcpproxy/sdk/host.hpp"
#include "upstream/token_record.hpp"

namespace mcpproxy::oauth {

// One line of `mcpproxy auth status`: never a secret.
struct AuthStatusRow {
    std::string server;
    std::string url;
    std::string state;  // valid, expired, login needed, not logged in
    std::int64_t expires_at = 0;
    std::int64_t expires_in = 0;  // seconds; negative once expired
    bool refreshable = false;
    std::string issuer;
    std::string scope;
    std::string detail;
};

[[nodiscard]] AuthStatusRow status_of(const std::string& server, const std::string& url,
                                      const std::optional<TokenRecord>& record, std::int64_t now);

// Every HTTP upstream server in the config, then stored tokens of servers no longer configured.
[[nodiscard]] std::vector<AuthStatusRow> status_rows(
    const std::vector<sdk::UpstreamServerInfo>& servers, const std::vector<TokenRecord>& tokens,
    std::int64_t now);

[[nodiscard]] nlohmann::json status_json(const std::vector<AuthStatusRow>& rows);
[[nodiscard]] std::string status_table(const std::vector<AuthStatusRow>& rows);
[[nodiscard]] std::string format_seconds(std::int64_t seconds);  // "59m 58s", "2h 3m", "4d 1h"

}  // namespace mcpproxy::oauth
