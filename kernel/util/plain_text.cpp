#include "kernel/util/plain_text.hpp"

namespace mcpproxy::util {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";     // U+2026

// The length of the valid UTF-8 sequence at text[i], or 0 when there is none.
std::size_t sequence_length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const auto c = byte(i);
    if (c < 0x80) return 1;
    std::size_t n = 0;
    unsigned lowest = 0;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        lowest = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        lowest = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        lowest = 0x10000;
    } else {
        return 0;
    }
    if (i + n > text.size()) return 0;
    unsigned code = c & (0xFFU >> (n + 1));
    for (std::size_t k = 1; k < n; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
        code = (code << 6) | (byte(i + k) & 0x3F);
    }
    if (code < lowest || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
    return n;
}

}  // namespace

std::string plain_text(std::string_view text, std::size_t max_bytes) {
    std::string out;
    out.reserve(std::min(text.size(), max_bytes));
    for (std::size_t i = 0; i < text.size();) {
        const auto n = sequence_length(text, i);
        std::string_view piece = n == 0 ? kReplacement : text.substr(i, n);
        const auto c = static_cast<unsigned char>(text[i]);
        if (n == 1 && (c < 0x20 || c == 0x7F)) piece = " ";
        if (out.size() + piece.size() > max_bytes) {
            while (!out.empty() && out.size() + kEllipsis.size() > max_bytes) {
                // Drop whole characters until the mark fits.
                auto cut = out.size() - 1;
                while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
                out.resize(cut);
            }
            if (out.size() + kEllipsis.size() <= max_bytes) out += kEllipsis;
            return out;
        }
        out += piece;
        i += n == 0 ? 1 : n;
    }
    return out;
}

}  // namespace mcpproxy::util
