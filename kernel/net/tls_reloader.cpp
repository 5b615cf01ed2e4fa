#include "kernel/net/tls_reloader.hpp"

#include <filesystem>

namespace mcpproxy::net {

TlsReloader::TlsReloader(asio::io_context& io, config::TlsConfig tls,
                         std::shared_ptr<TlsContextSource> source,
                         std::shared_ptr<spdlog::logger> log)
    : tls_(std::move(tls)), source_(std::move(source)), log_(std::move(log)), timer_(io) {
    last_stamp_ = stamp();
}

std::string TlsReloader::stamp() const {
    std::string out;
    for (const auto* path : {&tls_.cert, &tls_.key, &tls_.client_ca, &tls_.crl}) {
        if (path->empty()) continue;
        std::error_code ec;
        const auto time = std::filesystem::last_write_time(*path, ec);
        const auto size = std::filesystem::file_size(*path, ec);
        out += ec ? std::string("missing")
                  : std::to_string(time.time_since_epoch().count()) + "/" + std::to_string(size);
        out += ';';
    }
    return out;
}

void TlsReloader::start() {
    schedule();
}

void TlsReloader::stop() {
    asio::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
}

void TlsReloader::schedule() {
    timer_.expires_after(tls_.reload_interval);
    timer_.async_wait([weak = weak_from_this()](const beast::error_code& ec) {
        auto self = weak.lock();
        if (ec || !self) return;
        const auto now = self->stamp();
        bool changed = false;
        {
            std::lock_guard lock(self->mutex_);
            changed = now != self->last_stamp_;
        }
        if (changed) self->reload_now("a TLS file changed");
        self->schedule();
    });
}

bool TlsReloader::reload_now(const std::string& why) {
    std::lock_guard lock(mutex_);
    last_stamp_ = stamp();
    try {
        source_->replace(make_server_tls_context(tls_));
    } catch (const std::exception& e) {
        log_->error("TLS reload ({}) failed, the current certificate stays in use: {}", why,
                    e.what());
        return false;
    }
    log_->info("TLS reloaded ({}): new connections use the new certificate, key and CA", why);
    return true;
}

}  // namespace mcpproxy::net
