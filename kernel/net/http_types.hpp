#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace mcpproxy::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
using StreamHeader = http::response<http::empty_body>;

template <class T>
using Awaitable = asio::awaitable<T>;

}  // namespace mcpproxy::net
