// Agent-token parsing: the credential extraction and strict format check on request headers, the
// authenticator's decision against a view holding one real token, and the CLI/API value parsers
// (permissions, lifetimes, server lists, token names), which may refuse input only with
// std::invalid_argument.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agent_token_authenticator.hpp"
#include "credential_extract.hpp"
#include "duration_parse.hpp"
#include "permission_parse.hpp"
#include "server_list_parse.hpp"
#include "token_format.hpp"
#include "token_hasher.hpp"
#include "token_name.hpp"
#include "token_store.hpp"
#include "token_view.hpp"
#include "usage_tracker.hpp"

namespace {

using namespace mcpproxy;
using namespace mcpproxy::agent_token;

constexpr std::string_view kKnownToken =
    "mcp_agt_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// Request headers from the input: "Name: value" lines.
class FuzzRequest final : public sdk::RequestView {
public:
    explicit FuzzRequest(std::string_view text) {
        while (!text.empty()) {
            const auto end = text.find('\n');
            const auto line = text.substr(0, end);
            const auto colon = line.find(':');
            if (colon != std::string_view::npos) {
                auto value = line.substr(colon + 1);
                while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
                headers_.emplace_back(line.substr(0, colon), value);
            }
            if (end == std::string_view::npos) break;
            text.remove_prefix(end + 1);
        }
    }
    std::string_view method() const override { return "POST"; }
    std::string_view path() const override { return "/mcp"; }
    std::string_view query() const override { return {}; }
    std::optional<std::string_view> header(std::string_view name) const override {
        for (const auto& [n, v] : headers_) {
            if (n.size() == name.size() &&
                std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
                    return std::tolower(static_cast<unsigned char>(a)) ==
                           std::tolower(static_cast<unsigned char>(b));
                })) {
                return v;
            }
        }
        return std::nullopt;
    }
    std::string_view peer_address() const override { return "127.0.0.1"; }
    std::string_view listener_name() const override { return "fuzz"; }
    bool is_tls() const override { return false; }
    std::string_view peer_certificate_der() const override { return {}; }

private:
    std::vector<std::pair<std::string_view, std::string_view>> headers_;
};

struct Fixture {
    std::array<unsigned char, kKeyBytes> key_bytes{};
    TokenKey key{key_bytes};
    TokenHasher hasher{key};
    TokenView view;
    UsageTracker usage;
    AgentTokenAuthenticator authenticator{
        view, usage,
        [] { return std::chrono::system_clock::time_point(std::chrono::hours(24 * 365 * 56)); },
        true};

    Fixture() {
        TokenRecord record;
        record.id = 1;
        record.name = "fuzz-client";
        record.hash = hasher.hash(kKnownToken);
        record.expires_at = Seconds(std::chrono::hours(24 * 365 * 60));
        ChangeSet changes;
        changes.rows.push_back(record);
        changes.full = true;
        changes.revision = 1;
        view.apply(changes);
        authenticator.set_hasher(&hasher);
    }
};

template <class F>
void refuse_only_with_invalid_argument(F&& f) {
    try {
        f();
    } catch (const std::invalid_argument&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Fixture fixture;
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    if (is_well_formed_token(text) && !has_token_prefix(text)) __builtin_trap();
    const FuzzRequest request(text);
    const auto credential = find_agent_token(request, true);
    const auto result = fixture.authenticator.authenticate(request);
    if (!credential && result.outcome != sdk::AuthOutcome::not_mine) __builtin_trap();

    refuse_only_with_invalid_argument([&] {
        const auto p = parse_permissions(text);
        if (parse_permissions(permission_list(p)) != p) __builtin_trap();
    });
    refuse_only_with_invalid_argument([&] {
        const auto d = parse_lifetime(text);
        if (d < std::chrono::hours(1) || d > kMaxLifetime) __builtin_trap();
        (void)format_duration(d);
    });
    refuse_only_with_invalid_argument([&] { (void)parse_grace(text); });
    refuse_only_with_invalid_argument([&] {
        const auto servers = parse_server_list(text);
        if (parse_server_list(join_server_list(servers)) != servers) __builtin_trap();
    });
    refuse_only_with_invalid_argument([&] { validate_token_name(text); });
    return 0;
}
