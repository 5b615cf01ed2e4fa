#include "token_output.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "permission_parse.hpp"
#include "server_list_parse.hpp"
#include "time_format.hpp"

namespace mcpproxy::agent_token {
namespace {

std::vector<std::string> permission_names(sdk::Permission p) {
    std::vector<std::string> out{"read"};
    if (p == sdk::Permission::write || p == sdk::Permission::destructive) out.emplace_back("write");
    if (p == sdk::Permission::destructive) out.emplace_back("destructive");
    return out;
}

nlohmann::ordered_json optional_time(const std::optional<Seconds>& t) {
    return t ? nlohmann::ordered_json(rfc3339(*t)) : nlohmann::ordered_json(nullptr);
}

bool in_grace(const TokenRecord& r, Seconds now) {
    return r.previous_hash && r.previous_valid_until && now < *r.previous_valid_until;
}

std::string limits_text(const sdk::Limits& l) {
    std::string out;
    auto add = [&out](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
    if (l.requests_per_second) {
        std::string rps = std::to_string(*l.requests_per_second);
        rps.erase(rps.find_last_not_of('0') + 1);
        if (!rps.empty() && rps.back() == '.') rps.pop_back();
        add(rps + " req/s");
    }
    if (l.burst) add("burst " + std::to_string(*l.burst));
    if (l.max_concurrent) add(std::to_string(*l.max_concurrent) + " concurrent");
    return out.empty() ? "global defaults" : out;
}

}  // namespace

nlohmann::ordered_json token_json(const TokenRecord& r, Seconds now) {
    nlohmann::ordered_json limits = nlohmann::ordered_json::object();
    if (r.limits.requests_per_second) limits["requests_per_second"] = *r.limits.requests_per_second;
    if (r.limits.burst) limits["burst"] = *r.limits.burst;
    if (r.limits.max_concurrent) limits["max_concurrent"] = *r.limits.max_concurrent;
    return {
        {"name", r.name},
        {"servers", r.allowed_servers},
        {"permissions", permission_names(r.permission)},
        {"status", status_name(status_at(r, now))},
        {"created_at", rfc3339(r.created_at)},
        {"expires_at", rfc3339(r.expires_at)},
        {"last_used_at", optional_time(r.last_used_at)},
        {"revoked_at", optional_time(r.revoked_at)},
        {"previous_secret_valid_until",
         in_grace(r, now) ? optional_time(r.previous_valid_until) : nullptr},
        {"limits", limits},
    };
}

void print_token_table(std::ostream& out, const std::vector<TokenRecord>& records, Seconds now) {
    using Row = std::array<std::string, 6>;
    std::vector<Row> rows{{"NAME", "SERVERS", "PERMISSIONS", "EXPIRES", "LAST USED", "STATUS"}};
    for (const auto& r : records) {
        rows.push_back({r.name, join_server_list(r.allowed_servers), permission_list(r.permission),
                        short_time(r.expires_at),
                        r.last_used_at ? short_time(*r.last_used_at) : "never",
                        status_name(status_at(r, now))});
    }
    std::array<std::size_t, 6> width{};
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
    }
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
        }
        out << line << '\n';
    }
    if (records.empty())
        out << "(no agent tokens; create one with: mcpproxy token create --name NAME)\n";
}

void print_token_details(std::ostream& out, const TokenRecord& r, Seconds now) {
    out << "name:         " << r.name << '\n'
        << "status:       " << status_name(status_at(r, now)) << '\n'
        << "servers:      " << join_server_list(r.allowed_servers) << '\n'
        << "permissions:  " << permission_list(r.permission) << '\n'
        << "created:      " << rfc3339(r.created_at) << '\n'
        << "expires:      " << rfc3339(r.expires_at) << '\n'
        << "last used:    " << (r.last_used_at ? rfc3339(*r.last_used_at) : "never") << '\n';
    if (r.revoked_at) out << "revoked:      " << rfc3339(*r.revoked_at) << '\n';
    if (in_grace(r, now))
        out << "old secret:   valid until " << rfc3339(*r.previous_valid_until) << '\n';
    out << "limits:       " << limits_text(r.limits) << '\n';
}

}  // namespace mcpproxy::agent_token
