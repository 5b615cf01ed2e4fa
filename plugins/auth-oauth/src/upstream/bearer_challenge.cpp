#include "upstream/bearer_challenge.hpp"

#include <cctype>

namespace mcpproxy::oauth {
namespace {

bool is_token_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

class Cursor {
public:
    explicit Cursor(std::string_view s) : s_(s) {}
    void skip_space() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
    }
    bool done() const { return i_ >= s_.size(); }
    char peek() const { return done() ? '\0' : s_[i_]; }
    void advance() { ++i_; }
    std::string_view token() {
        const auto start = i_;
        while (i_ < s_.size() && is_token_char(s_[i_])) ++i_;
        return s_.substr(start, i_ - start);
    }
    std::string quoted() {  // after the opening quote
        std::string out;
        while (i_ < s_.size() && s_[i_] != '"') {
            if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;
            out += s_[i_++];
        }
        if (i_ < s_.size()) ++i_;
        return out;
    }
    std::size_t pos() const { return i_; }
    void seek(std::size_t p) { i_ = p; }

private:
    std::string_view s_;
    std::size_t i_ = 0;
};

}  // namespace

std::optional<BearerChallenge> parse_bearer_challenge(std::string_view header) {
    Cursor c(header);
    std::optional<BearerChallenge> bearer;
    bool in_bearer = false;
    while (!c.done()) {
        c.skip_space();
        if (c.peek() == ',') {
            c.advance();
            continue;
        }
        const auto word = c.token();
        if (word.empty()) {  // not a token: skip one character and resynchronise
            c.advance();
            continue;
        }
        c.skip_space();
        if (c.peek() == '=') {  // name=value: a parameter of the current challenge
            c.advance();
            c.skip_space();
            std::string value;
            if (c.peek() == '"') {
                c.advance();
                value = c.quoted();
            } else {
                value = std::string(c.token());
            }
            if (!in_bearer) continue;
            const auto name = lower(word);
            if (name == "resource_metadata") bearer->resource_metadata = value;
            if (name == "scope") bearer->scope = value;
            if (name == "error") bearer->error = value;
            continue;
        }
        // A new challenge's scheme (a token68 after it is skipped as a bare word).
        if (in_bearer) break;
        in_bearer = lower(word) == "bearer";
        if (in_bearer) bearer = BearerChallenge{};
    }
    return bearer;
}

}  // namespace mcpproxy::oauth
