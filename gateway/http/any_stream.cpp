#include "gateway/http/any_stream.hpp"

#include <boost/asio/post.hpp>

namespace jtgw::http {

any_stream::any_stream(plain_stream stream) noexcept : stream_(std::move(stream)) {}
any_stream::any_stream(tls_stream stream) noexcept : stream_(std::move(stream)) {}
any_stream::any_stream(any_stream&&) noexcept = default;
any_stream::~any_stream() = default;

any_stream::executor_type any_stream::get_executor() noexcept {
  return std::visit([](auto& s) -> executor_type { return s.get_executor(); }, stream_);
}

bool any_stream::is_tls() const noexcept { return std::holds_alternative<tls_stream>(stream_); }

deadline_stream& any_stream::tcp() noexcept {
  if (auto* tls = std::get_if<tls_stream>(&stream_)) return tls->next_layer();
  return std::get<plain_stream>(stream_);
}

any_stream::tls_stream* any_stream::tls() noexcept { return std::get_if<tls_stream>(&stream_); }

std::size_t any_stream::write_some_now(std::span<const net::const_buffer> buffers, error_code& ec) {
  auto* plain = std::get_if<plain_stream>(&stream_);
  if (plain == nullptr) {
    ec = net::error::would_block;
    return 0;
  }
  auto& socket = plain->socket();
  // A user-level non-blocking socket makes write_some return would_block instead of
  // waiting; Asio's asynchronous operations work the same on it. Set once per socket.
  if (!socket.non_blocking()) {
    socket.non_blocking(true, ec);
    if (ec) return 0;
  }
  // One buffer goes out with send(2): sendmsg(2) would copy in a message header and
  // an iovec for it.
  if (buffers.size() == 1) return socket.write_some(buffers.front(), ec);
  return socket.write_some(buffers, ec);
}

void any_stream::start_read_some(mutable_buffers buffers, io_handler handler) {
  std::get<tls_stream>(stream_).async_read_some(buffers, std::move(handler));
}

void any_stream::start_write_some(const_buffers buffers, io_handler handler) {
  std::get<tls_stream>(stream_).async_write_some(buffers, std::move(handler));
}

void any_stream::start_handshake(net::ssl::stream_base::handshake_type role, done_handler handler) {
  if (auto* tls = std::get_if<tls_stream>(&stream_)) {
    tls->async_handshake(role, std::move(handler));
    return;
  }
  // Completing through post keeps the rule that a handler never runs inside its initiator.
  net::post(get_executor(), [h = std::move(handler)]() mutable { std::move(h)(error_code{}); });
}

void any_stream::start_shutdown(done_handler handler) {
  if (auto* tls = std::get_if<tls_stream>(&stream_)) {
    tls->async_shutdown(std::move(handler));
    return;
  }
  error_code ec;
  std::get<plain_stream>(stream_).socket().shutdown(tcp::socket::shutdown_send, ec);
  net::post(get_executor(), [h = std::move(handler), ec]() mutable { std::move(h)(ec); });
}

}  // namespace jtgw::http
