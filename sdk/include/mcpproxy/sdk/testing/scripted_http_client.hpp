#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "mcpproxy/sdk/http_client.hpp"

namespace mcpproxy::sdk::testing {

// An HttpClient answering from a script: "METHOD URL" -> response. Unscripted requests get
// status 0 with an error, like an unreachable daemon. Every request is recorded.
class ScriptedHttpClient final : public HttpClient {
public:
    void answer(const std::string& method, const std::string& url, HttpClientResponse response) {
        const std::lock_guard lock(mutex_);
        script_[method + " " + url] = std::move(response);
    }
    void answer_json(const std::string& url, int status, std::string json_body) {
        HttpClientResponse r;
        r.status = status;
        r.headers["content-type"] = "application/json";
        r.body = std::move(json_body);
        answer("GET", url, std::move(r));
    }

    HttpClientResponse send(const HttpClientRequest& request) override {
        const std::lock_guard lock(mutex_);
        requests_.push_back(request);
        const auto it = script_.find(request.method + " " + request.url);
        if (it != script_.end()) return it->second;
        HttpClientResponse unreachable;
        unreachable.error =
            "connection refused (not scripted: " + request.method + " " + request.url + ")";
        return unreachable;
    }

    [[nodiscard]] std::vector<HttpClientRequest> requests() const {
        const std::lock_guard lock(mutex_);
        return requests_;
    }

private:
    mutable std::mutex mutex_;
    std::map<std::string, HttpClientResponse> script_;
    std::vector<HttpClientRequest> requests_;
};

}  // namespace mcpproxy::sdk::testing
