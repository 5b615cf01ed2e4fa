#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "token_service.hpp"

namespace agt_test {

// Readable CreateOptions for tests: opts("ci").servers({"github"}).permission(Permission::write).
class opts {
public:
    explicit opts(std::string name) { value_.name = std::move(name); }
    opts& servers(std::vector<std::string> s) {
        value_.allowed_servers = std::move(s);
        return *this;
    }
    opts& permission(mcpproxy::sdk::Permission p) {
        value_.permission = p;
        return *this;
    }
    opts& lifetime(std::chrono::seconds l) {
        value_.lifetime = l;
        return *this;
    }
    opts& limits(mcpproxy::sdk::Limits l) {
        value_.limits = l;
        return *this;
    }
    operator const mcpproxy::agent_token::CreateOptions&() const {
        return value_;
    }  // NOLINT: implicit on purpose

private:
    mcpproxy::agent_token::CreateOptions value_;
};

}  // namespace agt_test
