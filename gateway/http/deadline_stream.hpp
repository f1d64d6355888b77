#pragma once
// A TCP socket with a deadline: what Beast's tcp_stream offers jtgw (expires_after,
// expires_never, an operation pending at the deadline fails with beast::error::timeout and
// the socket closes), at a fraction of its cost per operation.
//
// Why not tcp_stream: it arms its timer when each read or write starts and cancels it when
// the operation ends: a timer-queue insert and removal, a cancelled wait to dispatch and
// an executor work guard per operation, several per request. Here the timer is lazy: a
// deadline is a number; the timer is armed when an operation starts and no wait is
// pending (or the deadline moved earlier than the pending wait), and when it fires it
// either times out what is pending, re-arms for a later deadline, or goes idle. A keep-
// alive connection thus touches the timer queue about once per timeout period, not per
// operation.
//
// Models AsyncReadStream and AsyncWriteStream (Beast's HTTP operations and Asio's SSL
// stream run on it). Completions go through the caller's handler with its executor,
// allocator and cancellation slot unchanged. A read that follows one which emptied the
// socket waits for epoll instead of making a recv bound to fail (drain_aware_socket.hpp).
#include "gateway/http/drain_aware_socket.hpp"
#include "gateway/http/net.hpp"

#include <boost/asio/associator.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>

namespace jtgw::http {

// steady_clock's time as of the kernel's last tick (CLOCK_MONOTONIC_COARSE: the same
// clock, up to one tick, a few milliseconds, behind). For deadlines and idle times of
// seconds that is precise enough, and it reads in a quarter of the time of a full clock
// read (no TSC read and scaling), which a proxied request does several times.
std::chrono::steady_clock::time_point coarse_now() noexcept;

class deadline_stream {
 public:
  using executor_type = net::any_io_executor;
  using clock = std::chrono::steady_clock;

  explicit deadline_stream(tcp::socket socket);
  // An unconnected stream (async_connect opens it).
  explicit deadline_stream(const executor_type& executor);
  deadline_stream(deadline_stream&&) noexcept;
  deadline_stream& operator=(deadline_stream&&) noexcept;
  // Closes the socket: pending operations complete with operation_aborted.
  ~deadline_stream();

  executor_type get_executor() noexcept;
  tcp::socket& socket() noexcept;
  // Asio's SSL stream asks its next layer for these.
  using lowest_layer_type = tcp::socket;
  lowest_layer_type& lowest_layer() noexcept { return socket(); }

  // Operations pending at now + timeout, and those started after it, fail with
  // beast::error::timeout, and the socket closes. Applies until changed. "now" is
  // coarse_now(): a deadline may come up to one clock tick early.
  void expires_after(clock::duration timeout);
  // No deadline until the next expires_after.
  void expires_never() noexcept;
  // Closes the socket (pending operations complete with operation_aborted) and stops the timer.
  void close() noexcept;

  template <class MutableBufferSequence, class CompletionToken>
  auto async_read_some(const MutableBufferSequence& buffers, CompletionToken&& token) {
    return initiate<void(error_code, std::size_t)>(
        direction::read, token,
        [](drain_aware_socket& socket, auto done, const MutableBufferSequence& seq) {
          // One buffer is what Beast's reads and the SSL stream pass; a sequence of
          // several reads the ordinary way.
          if constexpr (std::is_convertible_v<const MutableBufferSequence&, net::mutable_buffer>)
            socket.async_read_some_drain_aware(seq, std::move(done));
          else
            socket.async_read_some(seq, std::move(done));
        },
        buffers);
  }

  template <class ConstBufferSequence, class CompletionToken>
  auto async_write_some(const ConstBufferSequence& buffers, CompletionToken&& token) {
    return initiate<void(error_code, std::size_t)>(
        direction::write, token,
        [](tcp::socket& socket, auto done, const ConstBufferSequence& seq) {
          socket.async_write_some(seq, std::move(done));
        },
        buffers);
  }

  // Connects to the first endpoint of the sequence that accepts (Asio's range connect),
  // under the deadline. Completes with (error_code, tcp::endpoint).
  template <class EndpointSequence, class CompletionToken>
  auto async_connect(const EndpointSequence& endpoints, CompletionToken&& token) {
    return initiate<void(error_code, tcp::endpoint)>(
        direction::write, token,
        [](tcp::socket& socket, auto done, const EndpointSequence& seq) {
          net::async_connect(socket, seq, std::move(done));
        },
        endpoints);
  }

  // The completion of one operation: counts it done and reports a timeout as such.
  // Public only for Asio's associator specialization below.
  template <class Handler>
  class completion;

 private:
  enum class direction { read, write };

  struct state : std::enable_shared_from_this<state> {
    explicit state(tcp::socket s);
    void begin(direction d);
    // The operation's error as the caller sees it: a timeout replaces what the closed
    // socket reported.
    error_code end(direction d, error_code ec) noexcept;
    void arm();
    void on_timer(std::uint64_t generation);
    void close() noexcept;

    drain_aware_socket socket;  // after a read that emptied it, the next one waits for epoll
    net::steady_timer timer;
    clock::time_point deadline = clock::time_point::max();
    clock::time_point armed_for = clock::time_point::max();  // the pending wait's expiry
    bool armed = false;
    std::uint64_t generation = 0;  // of the current wait; older waits ignore themselves
    unsigned pending_reads = 0;
    unsigned pending_writes = 0;
    bool read_timed_out = false;
    bool write_timed_out = false;
  };

  // Starts one operation under the deadline: start(socket, done, args...) begins it with
  // `done`, the completion that counts it finished and reports a timeout as such.
  template <class Signature, class CompletionToken, class Start, class... Args>
  auto initiate(direction d, CompletionToken& token, Start start, const Args&... args) {
    return net::async_initiate<CompletionToken, Signature>(
        [d, start](auto handler, const std::shared_ptr<state>& s, const Args&... a) {
          s->begin(d);
          start(s->socket, completion<std::decay_t<decltype(handler)>>(std::move(handler), s, d), a...);
        },
        token, state_, args...);
  }

  std::shared_ptr<state> state_;
};

template <class Handler>
class deadline_stream::completion {
 public:
  completion(Handler handler, std::shared_ptr<state> s, direction d)
      : handler_(std::move(handler)), state_(std::move(s)), direction_(d) {}

  template <class... Args>
  void operator()(error_code ec, Args&&... args) {
    ec = state_->end(direction_, ec);
    state_.reset();
    std::move(handler_)(ec, std::forward<Args>(args)...);
  }

  const Handler& handler() const noexcept { return handler_; }

 private:
  Handler handler_;
  std::shared_ptr<state> state_;
  direction direction_;
};

}  // namespace jtgw::http

namespace boost::asio {

// The wrapped handler's executor, allocator and cancellation slot are the completion's.
template <template <typename, typename> class Associator, typename Handler, typename DefaultCandidate>
struct associator<Associator, jtgw::http::deadline_stream::completion<Handler>, DefaultCandidate>
    : Associator<Handler, DefaultCandidate> {
  static typename Associator<Handler, DefaultCandidate>::type get(
      const jtgw::http::deadline_stream::completion<Handler>& h) noexcept {
    return Associator<Handler, DefaultCandidate>::get(h.handler());
  }
  static auto get(const jtgw::http::deadline_stream::completion<Handler>& h, const DefaultCandidate& c) noexcept
      -> decltype(Associator<Handler, DefaultCandidate>::get(h.handler(), c)) {
    return Associator<Handler, DefaultCandidate>::get(h.handler(), c);
  }
};

}  // namespace boost::asio
