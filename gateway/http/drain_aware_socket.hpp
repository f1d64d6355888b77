#pragma once
// A TCP socket whose reads skip the recv(2) that is bound to fail.
//
// Asio's epoll reactor tries every read at once ("speculatively") unless the socket's last
// read found the end of the stream; only when that recv fails with EAGAIN does it wait for
// epoll. A proxy mostly reads what the peer has not sent yet: the next request right after
// answering the last one, the upstream's response right after sending the request. Each of
// those reads costs a recv that returns EAGAIN: two per proxied request, a third of jtgw's
// system calls, and as much kernel time as the whole remaining gap to HAProxy.
//
// HAProxy's rule, applied here: a read that returns fewer bytes than it asked for has
// emptied the socket's receive queue, so the next read waits for epoll to report new data.
// The reactor already has the means: an operation that reports done_and_exhausted clears
// the descriptor's "try speculatively" flag under the descriptor's lock, in the same step
// as its recv, and the next epoll event for the socket sets it again. Setting it from
// anywhere else would race with an event handled in between and lose that edge, so the
// rule lives in the operation: drain_aware_recv_op is Asio's reactive_socket_recv_op for
// one buffer, except that a short read reports done_and_exhausted.
//
// One exception to "short means empty": TCP urgent data stops a read at its mark. A peer
// that sends it (no HTTP client does) only stalls its own connection until the read's
// deadline, as it would with HAProxy.
//
// This uses Asio's detail layer (reactor_op, the epoll reactor's start_op, the socket's
// implementation), which is public in C++ terms but not Asio's documented interface. It is
// compiled only for the Boost it was written against, on the epoll reactor; elsewhere
// async_read_some_drain_aware is Asio's async_read_some. tests/gateway/http/
// test_drain_aware_socket.cpp counts the recv calls, so a change of Asio's behaviour fails there.
#include "gateway/http/net.hpp"

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/query.hpp>
#include <boost/version.hpp>

#if BOOST_VERSION == 108100 && defined(BOOST_ASIO_HAS_EPOLL) && !defined(BOOST_ASIO_HAS_IO_URING_AS_DEFAULT)
#define JTGW_DRAIN_AWARE_READS 1
#include <boost/asio/detail/bind_handler.hpp>
#include <boost/asio/detail/fenced_block.hpp>
#include <boost/asio/detail/handler_alloc_helpers.hpp>
#include <boost/asio/detail/handler_cont_helpers.hpp>
#include <boost/asio/detail/handler_work.hpp>
#include <boost/asio/detail/memory.hpp>
#include <boost/asio/detail/reactor.hpp>
#include <boost/asio/detail/reactor_op.hpp>
#include <boost/asio/detail/socket_ops.hpp>
#else
#define JTGW_DRAIN_AWARE_READS 0
#endif

#include <memory>
#include <utility>

namespace jtgw::http {

#if JTGW_DRAIN_AWARE_READS
namespace drain_aware_detail {
namespace ad = boost::asio::detail;

template <class Handler, class IoExecutor>
class recv_op : public ad::reactor_op {
 public:
  BOOST_ASIO_DEFINE_HANDLER_PTR(recv_op);

  recv_op(ad::socket_type socket, net::mutable_buffer buffer, Handler& handler, const IoExecutor& io_ex)
      : ad::reactor_op(error_code(), &recv_op::do_perform, &recv_op::do_complete),
        socket_(socket),
        buffer_(buffer),
        handler_(std::move(handler)),
        work_(handler_, io_ex) {}

  // Runs under the descriptor's lock, in the reactor's step that follows an epoll event or
  // at the start of the read; what it returns decides whether the next read tries first.
  static status do_perform(reactor_op* base) {
    auto* self = static_cast<recv_op*>(base);
    if (!ad::socket_ops::non_blocking_recv1(self->socket_, self->buffer_.data(), self->buffer_.size(), 0, true,
                                            self->ec_, self->bytes_transferred_))
      return not_done;  // EAGAIN: the reactor queues the operation for the next event
    // Fewer bytes than asked: recv stopped because the receive queue ran empty (zero is
    // the end of the stream, where Asio itself reports exhausted).
    if (!self->ec_ && self->bytes_transferred_ < self->buffer_.size()) return done_and_exhausted;
    return done;
  }

  // As Asio's reactive_socket_recv_op::do_complete: free the operation before the upcall,
  // through the handler's own executor.
  static void do_complete(void* owner, ad::operation* base, const error_code&, std::size_t) {
    auto* self = static_cast<recv_op*>(base);
    ptr p = {std::addressof(self->handler_), self, self};
    ad::handler_work<Handler, IoExecutor> work(std::move(self->work_));
    ad::binder2<Handler, error_code, std::size_t> bound(self->handler_, self->ec_, self->bytes_transferred_);
    p.h = std::addressof(bound.handler_);
    p.reset();
    if (owner) {
      ad::fenced_block fence(ad::fenced_block::half);
      work.complete(bound, bound.handler_);
    }
  }

 private:
  ad::socket_type socket_;
  net::mutable_buffer buffer_;
  Handler handler_;
  ad::handler_work<Handler, IoExecutor> work_;
};

// Per-operation cancellation, as Asio's sockets offer it.
class read_cancellation {
 public:
  read_cancellation(ad::reactor* reactor, ad::reactor::per_descriptor_data* data, ad::socket_type socket)
      : reactor_(reactor), data_(data), socket_(socket) {}

  void operator()(net::cancellation_type_t type) {
    using net::cancellation_type;
    if (!!(type & (cancellation_type::terminal | cancellation_type::partial | cancellation_type::total)))
      reactor_->cancel_ops_by_key(socket_, *data_, ad::reactor::read_op, this);
  }

 private:
  ad::reactor* reactor_;
  ad::reactor::per_descriptor_data* data_;
  ad::socket_type socket_;
};

}  // namespace drain_aware_detail
#endif

class drain_aware_socket : public tcp::socket {
 public:
  explicit drain_aware_socket(const executor_type& executor) : tcp::socket(executor) {}
  explicit drain_aware_socket(tcp::socket&& socket) noexcept : tcp::socket(std::move(socket)) {}

  // async_read_some into one buffer, with the rule above. Completes with (error_code,
  // std::size_t) through the handler's executor, like async_read_some.
  template <class Handler>
  void async_read_some_drain_aware(net::mutable_buffer buffer, Handler&& handler) {
#if JTGW_DRAIN_AWARE_READS
    namespace ad = boost::asio::detail;
    using handler_type = std::decay_t<Handler>;
    using op = drain_aware_detail::recv_op<handler_type, executor_type>;
    handler_type& h = handler;
    auto& impl = impl_.get_implementation();
    ad::reactor& reactor = reactor_of(impl_.get_executor());
    const bool is_continuation = boost_asio_handler_cont_helpers::is_continuation(h);
    auto slot = net::get_associated_cancellation_slot(h);

    typename op::ptr p = {std::addressof(h), op::ptr::allocate(h), nullptr};
    p.p = new (p.v) op(impl.socket_, buffer, h, impl_.get_executor());
    if (slot.is_connected())
      p.p->cancellation_key_ =
          &slot.template emplace<drain_aware_detail::read_cancellation>(&reactor, &impl.reactor_data_, impl.socket_);

    // As Asio's socket service starts a receive: an empty buffer completes at once; the
    // socket goes non-blocking inside (the user's blocking mode is untouched).
    if (buffer.size() != 0 && ((impl.state_ & ad::socket_ops::non_blocking) ||
                               ad::socket_ops::set_internal_non_blocking(impl.socket_, impl.state_, true, p.p->ec_)))
      reactor.start_op(ad::reactor::read_op, impl.socket_, impl.reactor_data_, p.p, is_continuation,
                       /*allow_speculative=*/true);
    else
      reactor.post_immediate_completion(p.p, is_continuation);
    p.v = p.p = nullptr;
#else
    async_read_some(buffer, std::forward<Handler>(handler));
#endif
  }

 private:
#if JTGW_DRAIN_AWARE_READS
  // The reactor of the socket's execution context (the one Asio's socket service uses),
  // looked up once: use_service takes a lock and walks the context's services.
  boost::asio::detail::reactor& reactor_of(const executor_type& executor) {
    if (!reactor_)
      reactor_ = &net::use_service<boost::asio::detail::reactor>(net::query(executor, net::execution::context));
    return *reactor_;
  }
  boost::asio::detail::reactor* reactor_ = nullptr;
#endif
};

}  // namespace jtgw::http
