#include "upstream/upstream_credentials_provider.hpp"

#include "upstream/bearer_challenge.hpp"

namespace mcpproxy::oauth {

std::string login_command(std::string_view server) {
    return "run `mcpproxy auth login --server " + std::string(server) + "`";
}

UpstreamCredentialsProvider::UpstreamCredentialsProvider(TokenSnapshot& snapshot,
                                                         RefreshRequest request_refresh)
    : snapshot_(snapshot), request_refresh_(std::move(request_refresh)) {}

std::vector<sdk::HeaderField> UpstreamCredentialsProvider::headers_for(std::string_view server,
                                                                       std::string_view) {
    auto token = snapshot_.hand_out(std::string(server));
    if (!token) return {};
    return {{"Authorization", "Bearer " + *token}};
}

sdk::UnauthorizedAnswer UpstreamCredentialsProvider::on_unauthorized(
    std::string_view server_view, std::string_view, std::string_view www_authenticate) {
    const std::string server(server_view);
    const auto token = snapshot_.get(server);
    const auto login = [&](const std::string& why) {
        return sdk::UnauthorizedAnswer{
            sdk::UnauthorizedVerdict::login_needed,
            "upstream \"" + server + "\" " + why + ": " + login_command(server)};
    };
    const auto refreshing = [&] {
        request_refresh_(server);
        return sdk::UnauthorizedAnswer{
            sdk::UnauthorizedVerdict::login_needed,
            "upstream \"" + server +
                "\" refused its OAuth access token; mcpproxy is refreshing it, try again in a "
                "moment"};
    };
    if (!token) {
        if (!parse_bearer_challenge(www_authenticate)) return {};
        return login("needs an OAuth login");
    }
    if (!token->login_needed.empty()) return login("needs a new OAuth login");
    if (token->access_token.empty()) {
        if (token->refreshable) return refreshing();
        return login("needs an OAuth login");
    }
    if (!token->handed_out) return {sdk::UnauthorizedVerdict::retry, {}};
    const bool first_refusal = snapshot_.note_refused(server, token->generation);
    if (token->refreshable) {
        if (first_refusal) return refreshing();
        return {sdk::UnauthorizedVerdict::login_needed,
                "upstream \"" + server +
                    "\" refused its OAuth access token; a refresh is under way, try again in a "
                    "moment"};
    }
    return login("refused the OAuth access token and there is no refresh token");
}

}  // namespace mcpproxy::oauth
