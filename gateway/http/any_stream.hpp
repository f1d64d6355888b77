#pragma once
// A connection's byte stream, plain TCP or TLS, behind one non-template type.
//
// Why: every layer above the socket (sessions, router, relay, OData writer) is written
// once against any_stream instead of being instantiated per stream type, which keeps the
// Beast templates in few translation units (each costs ~1 GB and ~45 s to compile).
// Reads and writes on a plain stream go straight to the deadline_stream with the
// caller's own handler: it is a light template (a socket operation and a completion
// wrapper), and the proxied request's four socket operations are the hot path. Only TLS
// operations and the handshake and shutdown pay for erasure: one indirect call and one
// small handler allocation per operation (Asio's per-thread recycling allocator, bound
// to every erased handler, makes that nearly free), which keeps the heavy ssl_stream
// templates in any_stream.cpp.
//
// any_stream satisfies Asio's AsyncReadStream and AsyncWriteStream, so Beast's
// http::async_read / async_write and net::async_write work on it unchanged.
#include "gateway/http/deadline_stream.hpp"
#include "gateway/http/net.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/recycling_allocator.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/container/static_vector.hpp>

#include <chrono>
#include <span>
#include <variant>

namespace jtgw::http {

class any_stream {
 public:
  using executor_type = net::any_io_executor;
  using plain_stream = deadline_stream;
  using tls_stream = beast::ssl_stream<deadline_stream>;

  explicit any_stream(plain_stream stream) noexcept;
  explicit any_stream(tls_stream stream) noexcept;
  any_stream(any_stream&&) noexcept;
  ~any_stream();

  executor_type get_executor() noexcept;
  bool is_tls() const noexcept;
  // The TCP layer under either kind: deadlines (expires_after), endpoints, close.
  deadline_stream& tcp() noexcept;
  // The TLS layer, or nullptr on a plain stream (SNI, certificate checks).
  tls_stream* tls() noexcept;

  template <class MutableBufferSequence, class CompletionToken>
  auto async_read_some(const MutableBufferSequence& buffers, CompletionToken&& token) {
    return net::async_initiate<CompletionToken, void(error_code, std::size_t)>(
        [this](auto handler, const MutableBufferSequence& seq) {
          if (auto* plain = std::get_if<plain_stream>(&stream_))
            plain->async_read_some(seq, std::move(handler));
          else
            start_read_some(gather<mutable_buffers>(seq), erase<io_signature>(std::move(handler)));
        },
        token, buffers);
  }

  template <class ConstBufferSequence, class CompletionToken>
  auto async_write_some(const ConstBufferSequence& buffers, CompletionToken&& token) {
    return net::async_initiate<CompletionToken, void(error_code, std::size_t)>(
        [this](auto handler, const ConstBufferSequence& seq) {
          if (auto* plain = std::get_if<plain_stream>(&stream_))
            plain->async_write_some(seq, std::move(handler));
          else
            start_write_some(gather<const_buffers>(seq), erase<io_signature>(std::move(handler)));
        },
        token, buffers);
  }

  // Writes what a plain stream's socket takes at once, without waiting: n bytes, and
  // net::error::would_block when it took none. A TLS stream takes nothing this way
  // (would_block): its writes go through async_write_some. For a writer that usually
  // finds room in the socket's send buffer, this saves the suspension and the trip
  // through the scheduler that an asynchronous write costs even when it completes at once.
  std::size_t write_some_now(std::span<const net::const_buffer> buffers, error_code& ec);

  // TLS handshake in the given role; completes at once with success on a plain stream.
  template <class CompletionToken>
  auto async_handshake(net::ssl::stream_base::handshake_type role, CompletionToken&& token) {
    return net::async_initiate<CompletionToken, void(error_code)>(
        [this](auto handler, net::ssl::stream_base::handshake_type r) {
          start_handshake(r, erase<done_signature>(std::move(handler)));
        },
        token, role);
  }

  // Orderly close: TLS close_notify, or a TCP half-close on a plain stream.
  template <class CompletionToken>
  auto async_shutdown(CompletionToken&& token) {
    return net::async_initiate<CompletionToken, void(error_code)>(
        [this](auto handler) { start_shutdown(erase<done_signature>(std::move(handler))); }, token);
  }

 private:
  // Beast hands us sequences of a few buffers (header + body pieces); gathering up to
  // this many keeps one TLS write_some per serializer step instead of one per buffer.
  static constexpr std::size_t max_gathered_buffers = 16;
  using mutable_buffers = boost::container::static_vector<net::mutable_buffer, max_gathered_buffers>;
  using const_buffers = boost::container::static_vector<net::const_buffer, max_gathered_buffers>;
  using io_signature = void(error_code, std::size_t);
  using done_signature = void(error_code);

  // A type-erased completion handler that keeps the original handler's executor and
  // cancellation slot. Why not net::any_completion_handler alone: in Boost 1.81 its
  // associated executor (any_completion_executor) cannot be `require`d blocking.never,
  // which Beast's streams do when they post a completion. Capturing the executor as an
  // any_io_executor at initiation, while the concrete handler type is still known,
  // keeps completions on the caller's executor (its strand) as Asio requires.
  template <class Signature>
  class erased_handler {
   public:
    using executor_type = net::any_io_executor;
    using cancellation_slot_type = net::cancellation_slot;

    template <class Handler>
    erased_handler(Handler&& handler, const executor_type& fallback)
        : executor_(net::get_associated_executor(handler, fallback)),
          slot_(net::get_associated_cancellation_slot(handler)),
          handler_(net::bind_allocator(net::recycling_allocator<void>(), std::forward<Handler>(handler))) {}

    executor_type get_executor() const noexcept { return executor_; }
    cancellation_slot_type get_cancellation_slot() const noexcept { return slot_; }

    template <class... Args>
    void operator()(Args&&... args) {
      std::move(handler_)(std::forward<Args>(args)...);
    }

   private:
    executor_type executor_;
    cancellation_slot_type slot_;
    net::any_completion_handler<Signature> handler_;
  };
  using io_handler = erased_handler<io_signature>;
  using done_handler = erased_handler<done_signature>;

  template <class Signature, class Handler>
  erased_handler<Signature> erase(Handler&& handler) {
    return erased_handler<Signature>(std::forward<Handler>(handler), get_executor());
  }

  template <class Gathered, class Sequence>
  static Gathered gather(const Sequence& seq) {
    Gathered out;
    for (auto it = net::buffer_sequence_begin(seq); it != net::buffer_sequence_end(seq); ++it) {
      if (out.size() == out.capacity()) break;  // a partial read/write is allowed by contract
      auto buffer = *it;  // Beast's iterators yield values: no operator->
      if (buffer.size() != 0) out.emplace_back(buffer);
    }
    return out;
  }

  // TLS streams only: plain ones are served inline by the templates above.
  void start_read_some(mutable_buffers buffers, io_handler handler);
  void start_write_some(const_buffers buffers, io_handler handler);
  void start_handshake(net::ssl::stream_base::handshake_type role, done_handler handler);
  void start_shutdown(done_handler handler);

  std::variant<plain_stream, tls_stream> stream_;
};

}  // namespace jtgw::http
