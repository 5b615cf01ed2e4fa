#pragma once

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mcpproxy/sdk/request_view.hpp"

namespace mcpproxy::sdk::testing {

// A RequestView built by a test: TestRequest{}.with_header("Authorization", "Bearer x").
class TestRequest final : public RequestView {
public:
    TestRequest& with_method(std::string m) {
        method_ = std::move(m);
        return *this;
    }
    TestRequest& with_path(std::string p) {
        path_ = std::move(p);
        return *this;
    }
    TestRequest& with_query(std::string q) {
        query_ = std::move(q);
        return *this;
    }
    TestRequest& with_header(std::string name, std::string value) {
        headers_.emplace_back(std::move(name), std::move(value));
        return *this;
    }
    TestRequest& with_peer(std::string address) {
        peer_ = std::move(address);
        return *this;
    }
    TestRequest& with_listener(std::string name) {
        listener_ = std::move(name);
        return *this;
    }
    TestRequest& with_client_certificate(std::string der) {
        tls_ = true;
        certificate_der_ = std::move(der);
        return *this;
    }
    TestRequest& with_tls(bool on = true) {
        tls_ = on;
        return *this;
    }

    [[nodiscard]] std::string_view method() const override { return method_; }
    [[nodiscard]] std::string_view path() const override { return path_; }
    [[nodiscard]] std::string_view query() const override { return query_; }
    [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const override {
        for (const auto& [key, value] : headers_) {
            if (equal_ignoring_case(key, name)) return std::string_view(value);
        }
        return std::nullopt;
    }
    [[nodiscard]] std::string_view peer_address() const override { return peer_; }
    [[nodiscard]] std::string_view listener_name() const override { return listener_; }
    [[nodiscard]] bool is_tls() const override { return tls_; }
    [[nodiscard]] std::string_view peer_certificate_der() const override {
        return certificate_der_;
    }

private:
    static bool equal_ignoring_case(std::string_view a, std::string_view b) {
        return a.size() == b.size() &&
               std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
                   return std::tolower(x) == std::tolower(y);
               });
    }

    std::string method_ = "POST";
    std::string path_ = "/mcp";
    std::string query_;
    std::vector<std::pair<std::string, std::string>> headers_;
    std::string peer_ = "127.0.0.1";
    std::string listener_ = "main";
    bool tls_ = false;
    std::string certificate_der_;
};

}  // namespace mcpproxy::sdk::testing
