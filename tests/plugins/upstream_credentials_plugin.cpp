// A scripted UpstreamCredentials provider for the kernel's upstream-credentials tests. Config:
//   "server":          the one upstream it answers for (others: no headers, not_mine)
//   "token":           the bearer it sends at first
//   "token_file":      when set, the bearer is this file's first line, read on every request
//                      (stands in for a token store another process writes)
//   "on_401":          "retry" (switch to "refreshed_token", then retry), "login_needed" or
//                      "not_mine"
//   "throw":           every call throws (the kernel must survive and log it once)
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "mcpproxy/sdk/plugin.hpp"

namespace {

namespace sdk = mcpproxy::sdk;

class ScriptedCredentials final : public sdk::Plugin, public sdk::UpstreamCredentials {
public:
    explicit ScriptedCredentials(sdk::Host& host) {
        const auto config = nlohmann::json::parse(host.config_json());
        server_ = config.value("server", std::string());
        token_ = config.value("token", std::string());
        token_file_ = config.value("token_file", std::string());
        refreshed_token_ = config.value("refreshed_token", std::string());
        on_401_ = config.value("on_401", std::string("not_mine"));
        throws_ = config.value("throw", false);
    }

    sdk::UpstreamCredentials* upstream_credentials() override { return this; }

    std::vector<sdk::HeaderField> headers_for(std::string_view server,
                                              std::string_view /*url*/) override {
        if (throws_) throw std::runtime_error("scripted headers_for failure");
        if (server != server_) return {};
        const std::string token = current_token();
        if (token.empty()) return {};
        return {{"Authorization", "Bearer " + token}};
    }

    sdk::UnauthorizedAnswer on_unauthorized(std::string_view server, std::string_view /*url*/,
                                            std::string_view www_authenticate) override {
        if (throws_) throw std::runtime_error("scripted on_unauthorized failure");
        if (server != server_) return {};
        if (www_authenticate.find("resource_metadata=") == std::string_view::npos) return {};
        if (on_401_ == "retry") {
            std::lock_guard lock(mutex_);
            token_ = refreshed_token_;
            return {sdk::UnauthorizedVerdict::retry, {}};
        }
        if (on_401_ == "login_needed") {
            return {sdk::UnauthorizedVerdict::login_needed,
                    "run `mcpproxy auth login --server " + server_ + "`"};
        }
        return {};
    }

private:
    std::string current_token() {
        if (!token_file_.empty()) {
            std::ifstream in(token_file_);
            std::string line;
            std::getline(in, line);
            return line;
        }
        std::lock_guard lock(mutex_);
        return token_;
    }

    std::mutex mutex_;
    std::string server_;
    std::string token_;
    std::string token_file_;
    std::string refreshed_token_;
    std::string on_401_;
    bool throws_ = false;
};

}  // namespace

MCPPROXY_PLUGIN(ScriptedCredentials, "test-upstream-credentials", "extension", "1.0.0",
                "Scripted upstream credentials for kernel tests", "")
