#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kernel/config/config.hpp"
#include "kernel/net/http_types.hpp"
#include "kernel/net/tls_server_context.hpp"

namespace mcpproxy::net {

// Watches the TLS files of a listener (modification time and size, polled) and builds a new
// context when one changes, or when asked (SIGHUP). New connections get the new context;
// connections already open keep theirs. A file that does not load is logged once per change and
// the context in use stays.
class TlsReloader : public std::enable_shared_from_this<TlsReloader> {
public:
    TlsReloader(asio::io_context& io, config::TlsConfig tls,
                std::shared_ptr<TlsContextSource> source, std::shared_ptr<spdlog::logger> log);

    void start();  // begins polling
    void stop();
    // Rebuilds now whether or not the files changed; true when the new context is in use.
    bool reload_now(const std::string& why);

private:
    [[nodiscard]] std::string stamp() const;
    void schedule();

    config::TlsConfig tls_;
    std::shared_ptr<TlsContextSource> source_;
    std::shared_ptr<spdlog::logger> log_;
    asio::steady_timer timer_;
    std::mutex mutex_;
    std::string last_stamp_;  // of the files last tried, good or bad
};

}  // namespace mcpproxy::net
