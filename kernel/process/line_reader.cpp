#include "kernel/process/line_reader.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <cstring>

namespace mcpproxy::process {

LineReader::LineReader(boost::asio::posix::stream_descriptor source, std::size_t max_line)
    : source_(std::move(source)), max_line_(max_line) {}

bool LineReader::take_from_chunk(std::string& line) {
    const char* begin = chunk_.data() + chunk_begin_;
    const std::size_t available = chunk_end_ - chunk_begin_;
    const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', available));
    const std::size_t length =
        newline != nullptr ? static_cast<std::size_t>(newline - begin) : available;
    const std::size_t room = max_line_ - std::min(max_line_, line.size());
    if (length > room) truncated_ = true;
    line.append(begin, std::min(length, room));
    chunk_begin_ += length;
    if (newline == nullptr) return false;
    ++chunk_begin_;
    return true;
}

boost::asio::awaitable<std::optional<std::string>> LineReader::read_line() {
    std::string line;
    truncated_ = false;
    bool seen_bytes = false;
    for (;;) {
        if (chunk_begin_ < chunk_end_) {
            seen_bytes = true;
            if (take_from_chunk(line)) {
                if (!truncated_ && !line.empty() && line.back() == '\r') line.pop_back();
                co_return line;
            }
        }
        if (eof_) {
            if (!seen_bytes) co_return std::nullopt;
            co_return line;
        }
        chunk_begin_ = chunk_end_ = 0;
        auto [error, count] = co_await source_.async_read_some(
            boost::asio::buffer(chunk_), boost::asio::as_tuple(boost::asio::use_awaitable));
        if (error == boost::asio::error::eof) {
            eof_ = true;
        } else if (error) {
            throw boost::system::system_error(error);
        }
        chunk_end_ = count;
    }
}

void LineReader::close() {
    boost::system::error_code ignored;
    source_.close(ignored);
}

}  // namespace mcpproxy::process
