#include "kernel/net/response_head.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "kernel/net/responses.hpp"

namespace mcpproxy::net {
namespace {

// What Beast's own serializer writes for the whole message.
std::string beast_bytes(const Response& response) {
    std::ostringstream out;
    out << response;
    return out.str();
}

Request get_request() {
    Request req{http::verb::get, "/mcp", 11};
    req.set(http::field::host, "127.0.0.1");
    return req;
}

TEST(PlainResponseHead, HeadPlusBodyIsByteForByteWhatBeastWrites) {
    const auto req = get_request();
    std::vector<Response> responses;
    responses.push_back(
        json_response(http::status::ok, req, nlohmann::json{{"jsonrpc", "2.0"}, {"id", 1}}));
    responses.push_back(empty_response(http::status::accepted, req));
    responses.push_back(text_response(http::status::not_found, req, "nothing here"));
    Response custom{http::status::too_many_requests, 10};
    custom.set(http::field::retry_after, "3");
    custom.set("X-Request-Id", "abc");
    custom.set("X-Custom", "");  // an empty value
    custom.reason("Slow Down");
    custom.body() = "{}";
    custom.prepare_payload();
    responses.push_back(custom);
    for (auto& response : responses) {
        response.set("X-Request-Id", "req-1");
        const auto head = plain_response_head(response);
        ASSERT_TRUE(head.has_value()) << response.result_int();
        EXPECT_EQ(*head + response.body(), beast_bytes(response)) << response.result_int();
    }
}

TEST(PlainResponseHead, LeavesChunkedAndUndelimitedBodiesToBeast) {
    Response chunked{http::status::ok, 11};
    chunked.body() = "data";
    chunked.chunked(true);
    EXPECT_FALSE(plain_response_head(chunked).has_value());

    Response no_length{http::status::ok, 11};
    no_length.body() = "data";
    EXPECT_FALSE(plain_response_head(no_length).has_value());

    Response wrong_length{http::status::ok, 11};
    wrong_length.body() = "data";
    wrong_length.set(http::field::content_length, "3");
    EXPECT_FALSE(plain_response_head(wrong_length).has_value());

    Response junk_length{http::status::ok, 11};
    junk_length.body() = "data";
    junk_length.set(http::field::content_length, "4x");
    EXPECT_FALSE(plain_response_head(junk_length).has_value());
}

}  // namespace
}  // namespace mcpproxy::net
