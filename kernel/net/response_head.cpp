#include "kernel/net/response_head.hpp"

#include <charconv>

namespace mcpproxy::net {

std::optional<std::string> plain_response_head(const Response& response) {
    if (response.chunked()) return std::nullopt;
    const auto length = response.find(http::field::content_length);
    if (length == response.end()) return std::nullopt;
    const std::string_view value(length->value().data(), length->value().size());
    std::size_t declared = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), declared);
    if (error != std::errc() || end != value.data() + value.size() ||
        declared != response.body().size()) {
        return std::nullopt;
    }
    std::string head;
    head.reserve(256);
    const unsigned version = response.version();
    head += "HTTP/";
    head += static_cast<char>('0' + version / 10 % 10);
    head += '.';
    head += static_cast<char>('0' + version % 10);
    head += ' ';
    head += std::to_string(response.result_int());
    head += ' ';
    const auto reason = response.reason();
    head.append(reason.data(), reason.size());
    head += "\r\n";
    for (const auto& field : response) {
        const auto name = field.name_string();
        const auto field_value = field.value();
        head.append(name.data(), name.size());
        head += ": ";
        head.append(field_value.data(), field_value.size());
        head += "\r\n";
    }
    head += "\r\n";
    return head;
}

}  // namespace mcpproxy::net
