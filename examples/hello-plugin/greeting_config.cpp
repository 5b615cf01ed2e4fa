#include "greeting_config.hpp"

#include <stdexcept>

namespace hello_plugin {
namespace {

// Just enough JSON for one flat object of strings: a plugin with a richer config would use a JSON
// library; this example stays free of dependencies beyond the SDK.
class Scanner {
public:
    explicit Scanner(std::string_view text) : text_(text) {}

    void skip_space() {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                       text_[pos_] == '\r' || text_[pos_] == '\t')) {
            ++pos_;
        }
    }
    bool at(char c) {
        skip_space();
        return pos_ < text_.size() && text_[pos_] == c;
    }
    void expect(char c) {
        if (!at(c)) fail(std::string("expected '") + c + "'");
        ++pos_;
    }
    bool at_end() {
        skip_space();
        return pos_ == text_.size();
    }

    std::string string() {
        expect('"');
        std::string out;
        while (pos_ < text_.size() && text_[pos_] != '"') {
            char c = text_[pos_++];
            if (c == '\\') c = escaped(out);
            if (c != '\0') out += c;
        }
        expect('"');
        return out;
    }

    [[noreturn]] void fail(const std::string& what) const {
        throw std::runtime_error("invalid config JSON at offset " + std::to_string(pos_) + ": " +
                                 what);
    }

private:
    // Decodes the escape after a backslash; appends \u escapes itself and returns '\0' for them.
    char escaped(std::string& out) {
        if (pos_ >= text_.size()) fail("unterminated string");
        const char c = text_[pos_++];
        switch (c) {
            case 'n':
                return '\n';
            case 't':
                return '\t';
            case 'r':
                return '\r';
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'u':
                append_code_point(out);
                return '\0';
            default:
                return c;  // \" \\ \/
        }
    }

    void append_code_point(std::string& out) {
        if (pos_ + 4 > text_.size()) fail("short \\u escape");
        const unsigned cp = std::stoul(std::string(text_.substr(pos_, 4)), nullptr, 16);
        pos_ += 4;
        if (cp >= 0xD800 && cp <= 0xDFFF) fail("\\u surrogate pairs are not supported here");
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace

HelloConfig parse_hello_config(std::string_view json) {
    HelloConfig config;
    Scanner in(json);
    in.expect('{');
    if (in.at('}')) return config;
    while (true) {
        const std::string key = in.string();
        in.expect(':');
        if (key == "greeting") {
            if (!in.at('"')) throw std::runtime_error("config key \"greeting\" must be a string");
            config.greeting = in.string();
        } else {
            throw std::runtime_error("unknown config key \"" + key + "\" (known: greeting)");
        }
        if (in.at('}')) break;
        in.expect(',');
    }
    in.expect('}');
    if (!in.at_end()) in.fail("text after the config object");
    return config;
}

}  // namespace hello_plugin
