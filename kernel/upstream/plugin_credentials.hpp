#pragma once

#include <spdlog/logger.h>

#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "kernel/upstream/credential_source.hpp"

namespace mcpproxy::upstream {

// One plugin's UpstreamCredentials, with the plugin's name for log lines.
struct CredentialProvider {
    std::string plugin;
    sdk::UpstreamCredentials* credentials = nullptr;  // owned by the plugin, outlives this
};

// Asks the credential providers of the loaded plugins, in load order. headers_for: the headers of
// the first provider that returns any (malformed ones are dropped). on_unauthorized: the first
// verdict that is not not_mine. A provider that throws counts as having nothing to say; that is
// told to `on_throw` (or, without one, logged once per plugin and call), never propagated.
class PluginCredentials final : public CredentialSource {
public:
    using ThrowSink = std::function<void(const std::string& plugin, std::string_view call,
                                         const std::exception_ptr& error)>;

    PluginCredentials(std::vector<CredentialProvider> providers,
                      std::shared_ptr<spdlog::logger> log, ThrowSink on_throw = {});

    [[nodiscard]] bool empty() const { return providers_.empty(); }
    [[nodiscard]] std::vector<sdk::HeaderField> headers_for(std::string_view server,
                                                            std::string_view url) override;
    [[nodiscard]] sdk::UnauthorizedAnswer on_unauthorized(
        std::string_view server, std::string_view url, std::string_view www_authenticate) override;

private:
    void complain_once(const std::string& plugin, std::string_view call, const std::string& what);

    void threw(const std::string& plugin, std::string_view call);

    std::vector<CredentialProvider> providers_;
    std::shared_ptr<spdlog::logger> log_;
    ThrowSink on_throw_;
    std::mutex mutex_;
    std::set<std::string, std::less<>> complained_;  // "<plugin>/<call>"
};

// Whether a header a plugin gave may go on the wire: a valid token as name, a value without
// control characters (tab allowed).
[[nodiscard]] bool is_sendable_header(const sdk::HeaderField& header);

}  // namespace mcpproxy::upstream
