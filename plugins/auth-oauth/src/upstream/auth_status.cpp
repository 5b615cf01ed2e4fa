#include "upstream/auth_status.hpp"

#include <algorithm>
#include <set>

namespace mcpproxy::oauth {

std::string format_seconds(std::int64_t s) {
    if (s < 0) s = 0;
    if (s < 60) return std::to_string(s) + "s";
    if (s < 3600) return std::to_string(s / 60) + "m " + std::to_string(s % 60) + "s";
    if (s < 86'400) return std::to_string(s / 3600) + "h " + std::to_string(s % 3600 / 60) + "m";
    return std::to_string(s / 86'400) + "d " + std::to_string(s % 86'400 / 3600) + "h";
}

AuthStatusRow status_of(const std::string& server, const std::string& url,
                        const std::optional<TokenRecord>& record, std::int64_t now) {
    AuthStatusRow row;
    row.server = server;
    row.url = url;
    if (!record) {
        row.state = "not logged in";
        row.detail = "run `mcpproxy auth login --server " + server + "` if it needs OAuth";
        return row;
    }
    row.issuer = record->issuer;
    row.scope = record->scope;
    row.expires_at = record->expires_at;
    row.expires_in = record->expires_at > 0 ? record->expires_at - now : 0;
    row.refreshable = !record->refresh_token.empty() && record->login_needed.empty();
    const bool expired = record->expires_at > 0 && record->expires_at <= now;
    if (!record->login_needed.empty()) {
        row.state = "login needed";
        row.detail = record->login_needed + "; run `mcpproxy auth login --server " + server + "`";
    } else if (expired && !row.refreshable) {
        row.state = "login needed";
        row.detail = "the access token expired and there is no refresh token";
    } else if (expired) {
        row.state = "expired";
        row.detail = "a running mcpproxy refreshes it";
    } else {
        row.state = "valid";
    }
    return row;
}

std::vector<AuthStatusRow> status_rows(const std::vector<sdk::UpstreamServerInfo>& servers,
                                       const std::vector<TokenRecord>& tokens, std::int64_t now) {
    std::vector<AuthStatusRow> rows;
    std::set<std::string> seen;
    const auto find = [&](const std::string& name) -> std::optional<TokenRecord> {
        for (const auto& t : tokens) {
            if (t.server == name) return t;
        }
        return std::nullopt;
    };
    for (const auto& s : servers) {
        if (s.url.empty()) continue;  // stdio servers do not speak OAuth
        rows.push_back(status_of(s.name, s.url, find(s.name), now));
        seen.insert(s.name);
    }
    for (const auto& t : tokens) {
        if (seen.count(t.server) != 0) continue;
        auto row = status_of(t.server, {}, t, now);
        row.detail = "not in the config any more; `mcpproxy auth logout --server " + t.server +
                     "` deletes its tokens";
        rows.push_back(std::move(row));
    }
    return rows;
}

nlohmann::json status_json(const std::vector<AuthStatusRow>& rows) {
    auto out = nlohmann::json::array();
    for (const auto& r : rows) {
        nlohmann::json j{{"server", r.server}, {"url", r.url},
                         {"state", r.state},   {"refreshable", r.refreshable},
                         {"issuer", r.issuer}, {"scope", r.scope},
                         {"detail", r.detail}};
        if (r.expires_at > 0) {
            j["expires_at"] = r.expires_at;
            j["expires_in"] = r.expires_in;
        }
        out.push_back(std::move(j));
    }
    return out;
}

std::string status_table(const std::vector<AuthStatusRow>& rows) {
    if (rows.empty()) return "No HTTP upstream servers are configured.\n";
    std::size_t width = 6;
    for (const auto& r : rows) width = std::max(width, r.server.size());
    const auto pad = [](std::string s, std::size_t w) {
        s.resize(std::max(s.size(), w), ' ');
        return s;
    };
    std::string out =
        pad("SERVER", width) + "  " + pad("STATE", 13) + "  " + pad("EXPIRES", 12) + "  DETAIL\n";
    for (const auto& r : rows) {
        std::string expires = "-";
        if (r.expires_at > 0) {
            expires = r.expires_in > 0 ? "in " + format_seconds(r.expires_in) : "expired";
        }
        out += pad(r.server, width) + "  " + pad(r.state, 13) + "  " + pad(expires, 12) + "  " +
               r.detail + "\n";
    }
    return out;
}

}  // namespace mcpproxy::oauth
