#include <gtest/gtest.h>

#include "permission_parse.hpp"
#include "server_list_parse.hpp"
#include "token_name.hpp"

using namespace mcpproxy::agent_token;
using mcpproxy::sdk::Permission;

namespace {

template <class F>
std::string error_of(F f) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(PermissionParse, CumulativeLevels) {
    EXPECT_EQ(parse_permissions("read"), Permission::read);
    EXPECT_EQ(parse_permissions("read,write"), Permission::write);
    EXPECT_EQ(parse_permissions("write,read"), Permission::write);
    EXPECT_EQ(parse_permissions("read,write,destructive"), Permission::destructive);
    EXPECT_EQ(parse_permissions(" READ , Write "), Permission::write);
    EXPECT_EQ(parse_permissions("read,read"), Permission::read);
}

TEST(PermissionParse, ReadIsMandatoryAndDestructiveNeedsWrite) {
    EXPECT_EQ(error_of([] { (void)parse_permissions("write"); }),
              "permissions must include read (for example read,write)");
    EXPECT_EQ(error_of([] { (void)parse_permissions("write,destructive"); }),
              "permissions must include read (for example read,write)");
    EXPECT_EQ(error_of([] { (void)parse_permissions("read,destructive"); }),
              "destructive needs write too: use read,write,destructive");
}

TEST(PermissionParse, RejectsUnknownAndEmptyItems) {
    EXPECT_EQ(error_of([] { (void)parse_permissions("read,admin"); }),
              "unknown permission 'admin': use read, write or destructive");
    EXPECT_NE(error_of([] { (void)parse_permissions(""); }).find("empty permission"),
              std::string::npos);
    EXPECT_NE(error_of([] { (void)parse_permissions("read,,write"); }).find("empty permission"),
              std::string::npos);
}

TEST(PermissionParse, NamesRoundTrip) {
    for (auto p : {Permission::read, Permission::write, Permission::destructive}) {
        EXPECT_EQ(parse_permissions(permission_list(p)), p);
        EXPECT_EQ(permission_from_level(permission_level(p)), p);
    }
    EXPECT_EQ(permission_list(Permission::write), "read,write");
    EXPECT_FALSE(permission_from_level("admin").has_value());
}

TEST(ServerListParse, StarOrDistinctNames) {
    EXPECT_EQ(parse_server_list("*"), std::vector<std::string>{"*"});
    EXPECT_EQ(parse_server_list(" * "), std::vector<std::string>{"*"});
    EXPECT_EQ(parse_server_list("github,filesystem"),
              (std::vector<std::string>{"github", "filesystem"}));
    EXPECT_EQ(parse_server_list(" github , fs "), (std::vector<std::string>{"github", "fs"}));
    EXPECT_EQ(parse_server_list("a,b,a"), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(join_server_list({"a", "b"}), "a,b");
}

TEST(ServerListParse, RejectsMixedStarEmptyAndOddNames) {
    EXPECT_NE(error_of([] { (void)parse_server_list("github,*"); }).find("use * alone"),
              std::string::npos);
    EXPECT_NE(error_of([] { (void)parse_server_list(""); }).find("empty server name"),
              std::string::npos);
    EXPECT_NE(error_of([] { (void)parse_server_list("a,,b"); }).find("empty server name"),
              std::string::npos);
    EXPECT_NE(error_of([] { (void)parse_server_list("my server"); }).find("invalid server name"),
              std::string::npos);
    EXPECT_NE(
        error_of([] { (void)parse_server_list(std::string(129, 'a')); }).find("longer than 128"),
        std::string::npos);
}

TEST(TokenName, FollowsThePattern) {
    for (const std::string& ok :
         std::vector<std::string>{"a", "A", "9", "ci-bot", "claude_code-2", std::string(64, 'x')}) {
        EXPECT_NO_THROW(validate_token_name(ok)) << ok;
    }
    for (const std::string& bad : std::vector<std::string>{"", "-x", "_x", "a.b", "a b", "a/b",
                                                           "\xc3\xa4", std::string(65, 'x')}) {
        EXPECT_THROW(validate_token_name(bad), std::invalid_argument) << bad;
    }
    EXPECT_EQ(error_of([] { validate_token_name("a.b"); }),
              "invalid token name 'a.b': use letters, digits, '_' and '-', starting with a letter "
              "or digit");
    EXPECT_EQ(error_of([] { validate_token_name(std::string(65, 'x')); }),
              "token name is longer than 64 characters");
}
