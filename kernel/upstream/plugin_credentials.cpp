#include "kernel/upstream/plugin_credentials.hpp"

#include <algorithm>
#include <cctype>

#include "kernel/util/exception_text.hpp"

namespace mcpproxy::upstream {
namespace {

bool is_token_char(char c) {
    if (std::isalnum(static_cast<unsigned char>(c))) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

}  // namespace

bool is_sendable_header(const sdk::HeaderField& header) {
    if (header.name.empty() || header.name.size() > 256 ||
        !std::all_of(header.name.begin(), header.name.end(), is_token_char)) {
        return false;
    }
    if (header.value.size() > 16 * 1024) return false;
    return std::all_of(header.value.begin(), header.value.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return c == '\t' || (u >= 0x20 && u != 0x7f);
    });
}

PluginCredentials::PluginCredentials(std::vector<CredentialProvider> providers,
                                     std::shared_ptr<spdlog::logger> log, ThrowSink on_throw)
    : providers_(std::move(providers)), log_(std::move(log)), on_throw_(std::move(on_throw)) {
    std::erase_if(providers_, [](const CredentialProvider& p) { return p.credentials == nullptr; });
}

// Called from a catch block.
void PluginCredentials::threw(const std::string& plugin, std::string_view call) {
    if (on_throw_)
        on_throw_(plugin, call, std::current_exception());
    else
        complain_once(plugin, call, util::exception_text(std::current_exception()));
}

void PluginCredentials::complain_once(const std::string& plugin, std::string_view call,
                                      const std::string& what) {
    {
        std::lock_guard lock(mutex_);
        if (!complained_.insert(plugin + "/" + std::string(call)).second) return;
    }
    log_->error("plugin {}: upstream credentials {} failed: {} (ignored; logged once)", plugin,
                call, what);
}

std::vector<sdk::HeaderField> PluginCredentials::headers_for(std::string_view server,
                                                             std::string_view url) {
    for (const auto& p : providers_) {
        std::vector<sdk::HeaderField> headers;
        try {
            headers = p.credentials->headers_for(server, url);
        } catch (...) {
            threw(p.plugin, "headers_for");
            continue;
        }
        if (headers.empty()) continue;
        const auto before = headers.size();
        std::erase_if(headers, [](const sdk::HeaderField& h) { return !is_sendable_header(h); });
        // The header name only: its value is a secret.
        if (headers.size() != before) {
            complain_once(p.plugin, "headers_for",
                          "it returned a malformed header (dropped; names must be HTTP tokens, "
                          "values free of control characters)");
        }
        if (!headers.empty()) return headers;
    }
    return {};
}

sdk::UnauthorizedAnswer PluginCredentials::on_unauthorized(std::string_view server,
                                                           std::string_view url,
                                                           std::string_view www_authenticate) {
    for (const auto& p : providers_) {
        try {
            auto answer = p.credentials->on_unauthorized(server, url, www_authenticate);
            if (answer.verdict != sdk::UnauthorizedVerdict::not_mine) return answer;
        } catch (...) {
            threw(p.plugin, "on_unauthorized");
        }
    }
    return {};
}

}  // namespace mcpproxy::upstream
