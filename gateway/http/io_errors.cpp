#include "gateway/http/io_errors.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <spdlog/spdlog.h>

namespace jtgw::http {

spdlog::level::level_enum io_error_level(const error_code& ec) noexcept {
  // operation_aborted: we cancelled or closed the socket ourselves (drain, shutdown).
  // end_of_stream / eof: the client closed between requests, which keep-alive invites.
  // stream_truncated: the client closed TLS without close_notify, which most browsers
  // and HTTP libraries do routinely; the response was complete or the client gave up.
  if (ec == net::error::operation_aborted || ec == beast::http::error::end_of_stream ||
      ec == net::error::eof || ec == net::ssl::error::stream_truncated)
    return spdlog::level::off;
  // Clients going away or stalling is everyday life on the Internet: visible, not alarming.
  if (ec == net::error::connection_reset || ec == net::error::broken_pipe ||
      ec == net::error::connection_aborted || ec == beast::error::timeout ||
      ec == net::error::timed_out)
    return spdlog::level::info;
  // Failed TLS handshakes are mostly scanners and old clients (TLS 1.0/1.1 refused).
  if (ec.category() == net::error::get_ssl_category() ||
      ec.category() == net::ssl::error::get_stream_category())
    return spdlog::level::info;
  // Running out of descriptors or memory needs an operator.
  if (ec == net::error::no_descriptors || ec == net::error::no_memory ||
      ec == net::error::no_buffer_space)
    return spdlog::level::err;
  return spdlog::level::warn;
}

void report_io_error(std::string_view what, const error_code& ec, const tcp::endpoint& peer) {
  const auto level = io_error_level(ec);
  if (level == spdlog::level::off) return;
  spdlog::log(level, "{} failed for {}:{}: {} ({}:{})", what, peer.address().to_string(),
              peer.port(), ec.message(), ec.category().name(), ec.value());
}

}  // namespace jtgw::http
