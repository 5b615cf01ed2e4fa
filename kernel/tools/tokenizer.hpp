#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mcpproxy::tools {

// Turns tool text and search queries into the same lowercase terms:
// - words are runs of ASCII letters/digits (bytes >= 0x80 count as letters, so UTF-8 words stay
//   whole) joined by '_' or '-'; everything else separates words;
// - a joined word yields its pieces, split at '_'/'-' and camelCase boundaries ("getHTTPResponse"
//   → get, http, response), plus the pieces concatenated ("gethttpresponse"), so "get_weather",
//   "get-weather" and "getWeather" all match one another and "weather";
// - English stop words ("the", "a", "to", …) are dropped;
// - plurals are reduced to singulars by a light suffix rule ("issues" → "issue",
//   "repositories" → "repository"; "status" and "class" stay).
std::vector<std::string> tokenize(std::string_view text);
// Appends the terms of `text` to `out` (lets a caller reuse one vector).
void tokenize_into(std::string_view text, std::vector<std::string>& out);

bool is_stop_word(std::string_view lowercase_word);

}  // namespace mcpproxy::tools
