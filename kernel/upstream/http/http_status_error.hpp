#pragma once

#include <stdexcept>
#include <string>

namespace mcpproxy::upstream::http {

// The upstream answered a POST with an HTTP error status. The message is secret-free: it holds
// the status and at most 200 bytes of the body with configured header values blanked out.
class HttpStatusError : public std::runtime_error {
public:
    HttpStatusError(unsigned status, const std::string& message)
        : std::runtime_error(message), status_(status) {}
    [[nodiscard]] unsigned status() const { return status_; }

private:
    unsigned status_;
};

}  // namespace mcpproxy::upstream::http
