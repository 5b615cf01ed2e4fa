#include "tools/tokenizer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace mcpproxy::tools {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(Tokenizer, LowercasesAndSplitsOnNonAlphanumerics) {
    EXPECT_THAT(tokenize("Hello, World! 42/7"), ElementsAre("hello", "world", "42", "7"));
}

TEST(Tokenizer, SnakeCaseKeepsPiecesAndJoinedWord) {
    EXPECT_THAT(tokenize("get_weather"), ElementsAre("get", "weather", "getweather"));
}

TEST(Tokenizer, KebabAndCamelCaseGiveTheSameTerms) {
    EXPECT_EQ(tokenize("get-weather"), tokenize("get_weather"));
    EXPECT_EQ(tokenize("getWeather"), tokenize("get_weather"));
    EXPECT_EQ(tokenize("GetWeather"), tokenize("get_weather"));
}

TEST(Tokenizer, AcronymsEndWhereTheNextWordStarts) {
    EXPECT_THAT(tokenize("parseHTTPResponse"),
                ElementsAre("parse", "http", "response", "parsehttpresponse"));
    EXPECT_THAT(tokenize("HTTP"), ElementsAre("http"));
}

TEST(Tokenizer, DigitsStayWithTheirWord) {
    EXPECT_THAT(tokenize("oauth2_token"), ElementsAre("oauth2", "token", "oauth2token"));
    EXPECT_THAT(tokenize("v2Beta"), ElementsAre("v2", "beta", "v2beta"));
}

TEST(Tokenizer, DropsStopWords) {
    EXPECT_THAT(tokenize("Get the weather for a city"), ElementsAre("get", "weather", "city"));
    // A stop word inside a compound is dropped as a piece but kept in the joined word.
    EXPECT_THAT(tokenize("list_of_items"), ElementsAre("list", "item", "listofitem"));
}

TEST(Tokenizer, PluralsBecomeSingulars) {
    EXPECT_THAT(tokenize("issues repositories files messages"),
                ElementsAre("issue", "repository", "file", "message"));
    EXPECT_THAT(tokenize("status class bus news"), ElementsAre("status", "class", "bus", "new"));
    EXPECT_EQ(tokenize("list_issues"), tokenize("listIssue"));
}

TEST(Tokenizer, LeadingAndTrailingJoinersAreNotPieces) {
    EXPECT_THAT(tokenize("__init__"), ElementsAre("init"));
    EXPECT_THAT(tokenize("--dry-run"), ElementsAre("dry", "run", "dryrun"));
}

TEST(Tokenizer, EmptyInputs) {
    EXPECT_THAT(tokenize(""), IsEmpty());
    EXPECT_THAT(tokenize(" \t\n "), IsEmpty());
    EXPECT_THAT(tokenize("?!. ,;"), IsEmpty());
    EXPECT_THAT(tokenize("the of a"), IsEmpty());
    EXPECT_THAT(tokenize("_-_"), IsEmpty());
}

TEST(Tokenizer, KeepsUtf8WordsWhole) {
    EXPECT_THAT(tokenize("Caf\xc3\xa9 menu"), ElementsAre("caf\xc3\xa9", "menu"));
}

TEST(Tokenizer, AppendsToAnExistingVector) {
    std::vector<std::string> terms{"keep"};
    tokenize_into("new words", terms);
    EXPECT_THAT(terms, ElementsAre("keep", "new", "word"));
}

TEST(Tokenizer, StopWordList) {
    EXPECT_TRUE(is_stop_word("the"));
    EXPECT_TRUE(is_stop_word("a"));
    EXPECT_FALSE(is_stop_word("weather"));
    EXPECT_FALSE(is_stop_word("The"));  // callers pass lowercase words
}

}  // namespace
}  // namespace mcpproxy::tools
