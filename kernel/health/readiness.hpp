#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace mcpproxy::health {

// Named readiness conditions ("listener:main", "plugin:auth-agent-token", "upstreams").
// The process is ready when every registered condition is ready. Thread-safe.
class Readiness {
public:
    void expect(const std::string& component, std::string detail = "starting");
    void set_ready(const std::string& component);
    void set_not_ready(const std::string& component, std::string detail);
    void remove(const std::string& component);

    struct Pending {
        std::string component;
        std::string detail;
    };
    // Degraded: still serving, but something an operator must see (e.g. the activity log
    // cannot write). Does not change ready().
    void set_degraded(const std::string& component, std::string detail);
    void clear_degraded(const std::string& component);
    [[nodiscard]] std::vector<Pending> degraded() const;

    [[nodiscard]] bool ready() const;
    [[nodiscard]] std::vector<Pending> pending() const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::pair<bool, std::string>> components_;
    std::map<std::string, std::string> degraded_;
};

}  // namespace mcpproxy::health
