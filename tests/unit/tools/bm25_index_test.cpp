#include "tools/bm25_index.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>
#include <vector>

#include "tool_fixtures.hpp"

namespace mcpproxy::tools {
namespace {

using testing::tool;

std::vector<std::size_t> indexes(const std::vector<SearchHit>& hits) {
    std::vector<std::size_t> result;
    for (const auto& hit : hits) result.push_back(hit.tool_index);
    return result;
}

TEST(Bm25Index, NameMatchBeatsASingleMentionInADescription) {
    const std::vector<ToolDescriptor> tools = {
        tool("mail", "send_email", "Send an email, for example a weather report, to someone"),
        tool("wx", "get_weather", "Current conditions at a place"),
        tool("cal", "list_events", "List calendar events")};
    const Bm25Index index(tools);

    const auto hits = index.search("weather", 10);

    EXPECT_EQ(indexes(hits), (std::vector<std::size_t>{1, 0}));
    EXPECT_GT(hits[0].score, hits[1].score);
}

TEST(Bm25Index, RareTermsOutweighCommonOnes) {
    const std::vector<ToolDescriptor> tools = {
        tool("s", "alpha", "list records"), tool("s", "bravo", "list records"),
        tool("s", "charlie", "archive records"), tool("s", "delta", "list records"),
        tool("s", "echo", "list records")};
    const Bm25Index index(tools);

    // "list" is in four tools, "archive" in one: matching the rare word ranks first.
    const auto hits = index.search("list archive", 10);

    ASSERT_EQ(hits.size(), 5u);
    EXPECT_EQ(hits[0].tool_index, 2u);
    EXPECT_GT(hits[0].score, hits[1].score);
}

TEST(Bm25Index, ScoreFollowsTheBm25Formula) {
    // Tool 0: "alpha" in the name (×3) plus the server name (×1): length 4.
    // Tool 1: "bravo" (×3), "charlie" (×1), server (×1): length 5. Average length 4.5.
    const std::vector<ToolDescriptor> tools = {tool("srv", "alpha", ""),
                                               tool("srv", "bravo", "charlie")};
    const Bm25Index index(tools);

    const auto hits = index.search("alpha", 10);

    ASSERT_EQ(hits.size(), 1u);
    const double idf = std::log(1.0 + (2.0 - 1.0 + 0.5) / (1.0 + 0.5));
    const double tf = 3.0;
    const double expected = idf * tf * 2.2 / (tf + 1.2 * (1.0 - 0.75 + 0.75 * 4.0 / 4.5));
    EXPECT_NEAR(hits[0].score, expected, 1e-12);
}

TEST(Bm25Index, ParameterNamesCountMoreThanDescriptions) {
    const std::vector<ToolDescriptor> tools = {
        tool("s", "lookup_one", "Looks up a city by name"),
        tool("s", "lookup_two", "Looks up something", {{"city", ""}}),
    };
    const Bm25Index index(tools);
    EXPECT_EQ(indexes(index.search("city", 10)), (std::vector<std::size_t>{1, 0}));
}

TEST(Bm25Index, ParameterDescriptionsAreSearchable) {
    const std::vector<ToolDescriptor> tools = {
        tool("s", "run", "Runs it", {{"target", "Kubernetes namespace to deploy into"}}),
        tool("s", "stop", "Stops it")};
    const Bm25Index index(tools);
    EXPECT_EQ(indexes(index.search("kubernetes", 10)), (std::vector<std::size_t>{0}));
}

TEST(Bm25Index, CompoundQueriesMatchEveryCaseStyle) {
    const std::vector<ToolDescriptor> tools = {tool("s", "get_forecast", "Forecast"),
                                               tool("s", "weather_alerts", "Alerts"),
                                               tool("s", "get_weather", "Conditions")};
    const Bm25Index index(tools);
    for (const char* query : {"get_weather", "getWeather", "get-weather", "GET WEATHER"}) {
        const auto hits = index.search(query, 10);
        ASSERT_FALSE(hits.empty()) << query;
        EXPECT_EQ(hits[0].tool_index, 2u) << query;
    }
}

TEST(Bm25Index, EqualScoresKeepToolOrder) {
    const std::vector<ToolDescriptor> tools = {tool("s", "alpha", "weather"),
                                               tool("s", "bravo", "weather"),
                                               tool("s", "delta", "weather")};
    const Bm25Index index(tools);

    const auto hits = index.search("weather", 10);

    EXPECT_EQ(indexes(hits), (std::vector<std::size_t>{0, 1, 2}));
    EXPECT_EQ(hits[0].score, hits[2].score);
}

TEST(Bm25Index, RespectsTheLimit) {
    std::vector<ToolDescriptor> tools;
    for (int i = 0; i < 20; ++i) tools.push_back(tool("s", "t" + std::to_string(i), "weather"));
    const Bm25Index index(tools);
    EXPECT_EQ(index.search("weather", 5).size(), 5u);
    EXPECT_TRUE(index.search("weather", 0).empty());
}

TEST(Bm25Index, QueriesThatMatchNothing) {
    const std::vector<ToolDescriptor> tools = {tool("s", "get_weather", "Current conditions")};
    const Bm25Index index(tools);
    for (const char* query : {"", "   \t\n", "the of a", "?!", "kubernetes"}) {
        EXPECT_TRUE(index.search(query, 10).empty()) << '"' << query << '"';
    }
    EXPECT_TRUE(Bm25Index{}.search("weather", 10).empty());
}

TEST(Bm25Index, RepeatingAQueryWordChangesNothing) {
    const std::vector<ToolDescriptor> tools = {tool("s", "get_weather", "weather now"),
                                               tool("s", "get_city", "city weather")};
    const Bm25Index index(tools);
    const auto once = index.search("weather city", 10);
    const auto thrice = index.search("weather weather weather city", 10);
    ASSERT_EQ(once.size(), thrice.size());
    for (std::size_t i = 0; i < once.size(); ++i) {
        EXPECT_EQ(once[i].tool_index, thrice[i].tool_index);
        EXPECT_DOUBLE_EQ(once[i].score, thrice[i].score);
    }
}

TEST(Bm25Index, RejectedToolsDoNotTakeResultSlots) {
    const std::vector<ToolDescriptor> tools = {
        tool("s", "weather", "weather weather"), tool("s", "weather_now", "weather"),
        tool("s", "a1", "weather"), tool("s", "a2", "weather")};
    const Bm25Index index(tools);
    ASSERT_EQ(index.search("weather", 2)[0].tool_index, 0u);

    const auto hits = index.search("weather", 2, [](std::size_t i) { return i != 0; });

    EXPECT_EQ(indexes(hits), (std::vector<std::size_t>{1, 2}));
}

TEST(Bm25Index, ACallbackMaySearchAgain) {
    const std::vector<ToolDescriptor> tools = {tool("s", "weather", ""), tool("s", "city", "")};
    const Bm25Index index(tools);
    const auto hits = index.search(
        "weather city", 10, [&](std::size_t) { return index.search("city", 10).size() == 1; });
    EXPECT_EQ(hits.size(), 2u);
    // And the shared scratch space is clean afterwards.
    EXPECT_EQ(indexes(index.search("city", 10)), (std::vector<std::size_t>{1}));
}

TEST(Bm25Index, ConcurrentSearchesAgreeWithASingleThread) {
    std::vector<ToolDescriptor> tools;
    const char* words[] = {"weather", "github", "issue", "file", "calendar", "email", "invoice"};
    for (int i = 0; i < 200; ++i) {
        std::string description = std::string(words[i % 7]) + " " + words[(i * 3) % 7];
        tools.push_back(
            tool("s" + std::to_string(i % 5), "tool_" + std::to_string(i), description));
    }
    const Bm25Index index(tools);
    const std::vector<std::string> queries = {"weather issue", "github file", "calendar email",
                                              "invoice", "tool"};
    std::vector<std::vector<SearchHit>> expected;
    for (const auto& query : queries) expected.push_back(index.search(query, 10));

    std::vector<int> mismatches(8, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 200; ++round) {
                const std::size_t q = static_cast<std::size_t>(round + t) % queries.size();
                const auto hits = index.search(queries[q], 10);
                if (indexes(hits) != indexes(expected[q]))
                    ++mismatches[static_cast<std::size_t>(t)];
            }
        });
    }
    for (auto& thread : threads) thread.join();
    for (const int count : mismatches) EXPECT_EQ(count, 0);
}

TEST(Bm25Index, ReportsItsSize) {
    const std::vector<ToolDescriptor> tools = {tool("srv", "get_weather", "")};
    const Bm25Index index(tools);
    EXPECT_EQ(index.document_count(), 1u);
    EXPECT_EQ(index.term_count(), 4u);  // get, weather, getweather, srv
}

}  // namespace
}  // namespace mcpproxy::tools
