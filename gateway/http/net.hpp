#pragma once
// Namespace aliases shared by every networking file, so names read the same everywhere.
// There is deliberately no `http` alias: jtgw::http is our room (gateway/http); Beast's
// protocol types are always spelled beast::http::… so the two never blur.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/system/error_code.hpp>

namespace jtgw {
namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = boost::asio::ip::tcp;
using error_code = boost::system::error_code;
}  // namespace jtgw
