#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kernel/mcp/session.hpp"

namespace mcpproxy::mcp {

// All live sessions. Ids are 128 random bits in hex. Bounded: beyond max_sessions the least
// recently active session is ended; sessions idle longer than idle_limit are ended by sweep().
class SessionStore {
public:
    SessionStore(std::size_t max_sessions, std::chrono::seconds idle_limit);

    std::shared_ptr<Session> create(sdk::Identity identity, std::string protocol_version,
                                    Json client_capabilities,
                                    boost::asio::any_io_executor executor);
    [[nodiscard]] std::shared_ptr<Session> find(const std::string& id) const;
    bool remove(const std::string& id);
    std::size_t sweep();
    [[nodiscard]] std::vector<std::shared_ptr<Session>> all() const;
    [[nodiscard]] std::size_t size() const;
    void close_all();

private:
    std::size_t max_sessions_;
    std::chrono::seconds idle_limit_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Session>, std::less<>> sessions_;
};

}  // namespace mcpproxy::mcp
