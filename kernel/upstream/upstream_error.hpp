#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace mcpproxy::upstream {

// A call that did not produce a result: the upstream's own JSON-RPC error (code, message, data
// passed through), or the proxy's (unavailable, timeout, cancelled).
class UpstreamError : public std::runtime_error {
public:
    UpstreamError(int code, const std::string& message, nlohmann::json data = nullptr)
        : std::runtime_error(message), code_(code), data_(std::move(data)) {}
    [[nodiscard]] int code() const { return code_; }
    [[nodiscard]] const nlohmann::json& data() const { return data_; }

private:
    int code_;
    nlohmann::json data_;
};

}  // namespace mcpproxy::upstream
