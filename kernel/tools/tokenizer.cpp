#include "tools/tokenizer.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>

namespace mcpproxy::tools {
namespace {

// Kept small on purpose: words that carry no meaning in tool descriptions or queries. Sorted.
constexpr std::array<std::string_view, 48> stop_words = {
    "a",      "about", "an",    "and",   "are",  "as",   "at",    "be",  "by",  "can",
    "could",  "do",    "does",  "for",   "from", "how",  "i",     "if",  "in",  "into",
    "is",     "it",    "its",   "me",    "my",   "of",   "on",    "or",  "our", "please",
    "should", "that",  "the",   "their", "then", "this", "to",    "was", "we",  "were",
    "what",   "when",  "where", "which", "will", "with", "would", "you"};
static_assert(std::is_sorted(stop_words.begin(), stop_words.end()));

bool is_upper(unsigned char c) {
    return c >= 'A' && c <= 'Z';
}
bool is_lower(unsigned char c) {
    return c >= 'a' && c <= 'z';
}
bool is_digit(unsigned char c) {
    return c >= '0' && c <= '9';
}
bool is_word_byte(unsigned char c) {
    return is_upper(c) || is_lower(c) || is_digit(c) || c >= 0x80;
}
bool is_joiner(unsigned char c) {
    return c == '_' || c == '-';
}

unsigned char at(std::string_view word, std::size_t i) {
    return static_cast<unsigned char>(word[i]);
}

// True when a new camelCase piece starts at word[i]: "getWeather" (lower/digit → upper) and
// "HTTPServer" (the last capital of an acronym starts the next piece).
bool starts_camel_piece(std::string_view word, std::size_t i) {
    const unsigned char previous = at(word, i - 1);
    const unsigned char current = at(word, i);
    if (!is_upper(current)) return false;
    if (is_lower(previous) || is_digit(previous)) return true;
    return is_upper(previous) && i + 1 < word.size() && is_lower(at(word, i + 1));
}

void append_lowercase(std::string& out, std::string_view piece) {
    for (const char c : piece) {
        const auto byte = static_cast<unsigned char>(c);
        out.push_back(is_upper(byte) ? static_cast<char>(byte - 'A' + 'a') : c);
    }
}

bool ends_with_any(std::string_view word, std::initializer_list<std::string_view> endings) {
    for (const auto ending : endings) {
        if (word.ends_with(ending)) return true;
    }
    return false;
}

// Harman's "S" stemmer, so that "issues" finds "issue" and "repositories" finds "repository".
// Applied to tools and queries alike, so its odd outputs ("boxes" → "boxe") still match.
void strip_plural(std::string& word) {
    if (word.size() < 4) return;
    const std::string_view view = word;
    if (view.ends_with("ies") && !ends_with_any(view, {"eies", "aies"})) {
        word.replace(word.size() - 3, 3, "y");
    } else if (view.ends_with("es") && !ends_with_any(view, {"aes", "ees", "oes"})) {
        word.pop_back();
    } else if (view.ends_with('s') && !ends_with_any(view, {"us", "ss"})) {
        word.pop_back();
    }
}

// `word` is a run of word bytes and joiners, e.g. "get_HTTPResponse-v2".
void tokenize_word(std::string_view word, std::vector<std::string>& out) {
    std::string joined;
    std::size_t piece_count = 0;
    std::size_t i = 0;
    while (i < word.size()) {
        if (is_joiner(at(word, i))) {
            ++i;
            continue;
        }
        const std::size_t start = i++;
        while (i < word.size() && !is_joiner(at(word, i)) && !starts_camel_piece(word, i)) ++i;
        std::string piece;
        append_lowercase(piece, word.substr(start, i - start));
        joined += piece;
        ++piece_count;
        if (is_stop_word(piece)) continue;
        strip_plural(piece);
        out.push_back(std::move(piece));
    }
    if (piece_count > 1 && !is_stop_word(joined)) {
        strip_plural(joined);
        out.push_back(std::move(joined));
    }
}

}  // namespace

bool is_stop_word(std::string_view lowercase_word) {
    return std::binary_search(stop_words.begin(), stop_words.end(), lowercase_word);
}

void tokenize_into(std::string_view text, std::vector<std::string>& out) {
    std::size_t i = 0;
    while (i < text.size()) {
        if (!is_word_byte(at(text, i)) && !is_joiner(at(text, i))) {
            ++i;
            continue;
        }
        const std::size_t start = i;
        while (i < text.size() && (is_word_byte(at(text, i)) || is_joiner(at(text, i)))) ++i;
        tokenize_word(text.substr(start, i - start), out);
    }
}

std::vector<std::string> tokenize(std::string_view text) {
    std::vector<std::string> terms;
    tokenize_into(text, terms);
    return terms;
}

}  // namespace mcpproxy::tools
