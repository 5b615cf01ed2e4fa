#pragma once

#include <array>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstddef>
#include <optional>
#include <string>

namespace mcpproxy::process {

// Reads '\n'-terminated lines from a descriptor with bounded memory. Lines come without the '\n'
// (and without a '\r' before it); a last line without '\n' is returned at end of file. A line
// longer than max_line is returned cut to max_line bytes, the rest of it up to its '\n' is
// dropped, and last_line_truncated() says so. One read at a time: not for concurrent use.
class LineReader {
public:
    LineReader(boost::asio::posix::stream_descriptor source, std::size_t max_line);

    // The next line, or nothing at end of file. Throws boost::system::system_error on read errors
    // and on cancellation.
    boost::asio::awaitable<std::optional<std::string>> read_line();

    [[nodiscard]] bool last_line_truncated() const noexcept { return truncated_; }
    [[nodiscard]] std::size_t max_line() const noexcept { return max_line_; }

    // Closes the descriptor; a pending read ends with operation_aborted.
    void close();

private:
    // Moves bytes up to the next '\n' from the chunk into line; true when the line is complete.
    bool take_from_chunk(std::string& line);

    boost::asio::posix::stream_descriptor source_;
    std::size_t max_line_;
    std::array<char, 64 * 1024> chunk_{};
    std::size_t chunk_begin_ = 0;
    std::size_t chunk_end_ = 0;
    bool eof_ = false;
    bool truncated_ = false;
};

}  // namespace mcpproxy::process
