#include "kernel/mgmt/ui_assets.hpp"

#include <cstdint>
#include <cstdio>
#include <string>

#include "kernel/mgmt/ui_asset_data.hpp"
#include "kernel/net/responses.hpp"

namespace mcpproxy::mgmt {
namespace http = net::http;

namespace {

constexpr std::string_view kPrefix = "/ui/";
// Everything from our own origin, nothing inline, nothing framed, no plugins.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

std::string_view content_type(std::string_view name) {
    const auto ends_with = [name](std::string_view ext) { return name.ends_with(ext); };
    if (ends_with(".html")) return "text/html; charset=utf-8";
    if (ends_with(".js")) return "text/javascript; charset=utf-8";
    if (ends_with(".css")) return "text/css; charset=utf-8";
    if (ends_with(".svg")) return "image/svg+xml";
    if (ends_with(".png")) return "image/png";
    return "application/octet-stream";
}

// A strong validator from the content (FNV-1a, 64 bit): changes whenever the build's file does.
std::string etag_of(std::string_view content) {
    std::uint64_t h = 1469598103934665603ULL;
    for (const char c : content) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    char buf[24];
    std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
    return buf;
}

const EmbeddedFile* find_file(std::string_view path) {
    auto name = path.substr(kPrefix.size());
    if (name.empty()) name = "index.html";
    for (const auto& f : embedded_ui_files()) {
        if (f.name == name) return &f;
    }
    return nullptr;
}

void set_security_headers(net::Response& res) {
    res.set("Content-Security-Policy", kContentSecurityPolicy);
    res.set(http::field::x_frame_options, "DENY");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    res.set("Cross-Origin-Opener-Policy", "same-origin");
}

bool is_get_or_head(const net::Request& req) {
    return req.method() == http::verb::get || req.method() == http::verb::head;
}

}  // namespace

net::Handler ui_handler() {
    return [](net::HttpExchange& ex) -> net::Awaitable<void> {
        const auto& req = ex.request();
        if (!is_get_or_head(req)) {
            auto res = net::empty_response(http::status::method_not_allowed, req);
            res.set(http::field::allow, "GET, HEAD");
            co_await ex.respond(std::move(res));
            co_return;
        }
        const auto* file = ex.path().starts_with(kPrefix) ? find_file(ex.path()) : nullptr;
        if (file == nullptr) {
            auto res = net::empty_response(http::status::not_found, req);
            set_security_headers(res);
            co_await ex.respond(std::move(res));
            co_return;
        }
        const auto etag = etag_of(file->content);
        const auto if_none_match = req.base().find(http::field::if_none_match);
        net::Response res;
        if (if_none_match != req.base().end() && if_none_match->value() == etag) {
            res = net::empty_response(http::status::not_modified, req);
            res.erase(http::field::content_length);  // a 304 describes the cached body
        } else {
            res = net::text_response(http::status::ok, req, std::string(file->content),
                                     content_type(file->name));
            if (req.method() == http::verb::head) res.body().clear();
            res.content_length(file->content.size());
        }
        res.set(http::field::cache_control, "no-cache");
        res.set(http::field::etag, etag);
        set_security_headers(res);
        co_await ex.respond(std::move(res));
    };
}

net::Handler ui_redirect_handler() {
    return [](net::HttpExchange& ex) -> net::Awaitable<void> {
        auto res = net::empty_response(http::status::permanent_redirect, ex.request());
        res.set(http::field::location, kPrefix);
        co_await ex.respond(std::move(res));
    };
}

}  // namespace mcpproxy::mgmt
