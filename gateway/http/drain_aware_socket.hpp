#pragma once
// A TCP socket whose reads skip the recv(2) that is bound to fail.
//
// Asio's epoll reactor tries every read at once ("speculatively") unless the socket's last
// read found the end of the stream; only when that recv fails with EAGAIN does it wait for
// epoll. A proxy mostly reads what the peer has not sent yet: the next request right after
// answering the last one, the upstream's response right after sending the request. Each of
// those reads costs a recv that returns EAGAIN: two per proxied request, a third of jtgw's
// system calls. Without them jtgw's kernel time per request fell by 1.1-1.3 µs, most of
// its gap to HAProxy (1.5 µs in the same script).
//
// The rule here: when a read has emptied the socket's receive queue, the next read waits
// for epoll to report new data. The kernel says whether it has: with TCP_INQ set on the
// socket, every recvmsg returns the number of bytes still queued (TCP_CM_INQ), and a FIN
// still queued counts as one, so the read that follows sees the end of the stream at once.
// (Going by "fewer bytes than asked" instead, as HAProxy does with EPOLLRDHUP to cover the
// FIN, would lose the end of a stream whose FIN came with its last bytes.)
//
// The reactor already has the means: an operation that reports done_and_exhausted clears
// the descriptor's "try speculatively" flag under the descriptor's lock, in the same step
// as its recv, and the next epoll event for the socket sets it again. Setting it from
// anywhere else would race with an event handled in between and lose that wake-up, so the
// rule lives in the operation: recv_op is Asio's reactive_socket_recv_op for one buffer,
// reading with recvmsg and reporting done_and_exhausted when nothing is left.
//
// One case the count cannot show: a reset (RST) that arrived before the recvmsg that took
// the last bytes. Its epoll event is then spent, so the next read waits for its deadline
// (every read in jtgw has one) instead of failing at once with connection_reset. The
// connection was dead anyway; only the moment its failure is seen moves.
//
// If TCP_INQ is not available the count is missing and every read ends as Asio's would.
// This uses Asio's detail layer (reactor_op, the epoll reactor's start_op, the socket's
// implementation), which is public in C++ terms but not Asio's documented interface. It is
// compiled only for the Boost it was written against, on the epoll reactor; elsewhere
// async_read_some_drain_aware is Asio's async_read_some. tests/gateway/http/
// test_drain_aware_socket.cpp counts the recv calls, so a change of Asio's behaviour fails there.
#include "gateway/http/net.hpp"

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/buffer.hpp>
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

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#else
#define JTGW_DRAIN_AWARE_READS 0
#endif

#include <memory>
#include <type_traits>
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
    iovec data{self->buffer_.data(), self->buffer_.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
    for (;;) {
      msghdr message{};
      message.msg_iov = &data;
      message.msg_iovlen = 1;
      message.msg_control = control;
      message.msg_controllen = sizeof control;
      const ssize_t n = ::recvmsg(self->socket_, &message, 0);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return not_done;  // queued for the next event
        self->ec_ = error_code(errno, net::error::get_system_category());
        self->bytes_transferred_ = 0;
        return done;
      }
      self->bytes_transferred_ = static_cast<std::size_t>(n);
      if (n == 0) {
        // The end of the stream. Asio would report exhausted here, which leaves a second
        // read after it waiting; "done" lets that one see the end again at once.
        self->ec_ = net::error::eof;
        return done;
      }
      self->ec_ = error_code();
      return bytes_left(message) == 0 ? done_and_exhausted : done;
    }
  }

  // TCP_CM_INQ's count, or -1 when the socket did not send one.
  static int bytes_left(msghdr& message) noexcept {
    for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
      if (c->cmsg_level == SOL_TCP && c->cmsg_type == TCP_CM_INQ && c->cmsg_len >= CMSG_LEN(sizeof(int))) {
        int left = 0;
        std::memcpy(&left, CMSG_DATA(c), sizeof left);
        return left;
      }
    }
    return -1;
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
    handler_type h(std::forward<Handler>(handler));  // a copy when the caller passed an lvalue, as Asio's
    auto& impl = impl_.get_implementation();
    ad::reactor& reactor = reactor_of_socket();
    count_bytes_left(impl.socket_);
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
  // looked up again only when the socket's service changes (it can be reassigned through
  // its base class): use_service takes a lock and walks the context's services, and even
  // asking an any_io_executor for its context is an indirect call, so a read compares one
  // pointer instead.
  boost::asio::detail::reactor& reactor_of_socket() {
    auto& service = impl_.get_service();
    if (&service != service_) {
      reactor_ = &net::use_service<boost::asio::detail::reactor>(service.context());
      service_ = &service;
    }
    return *reactor_;
  }

  // Asks the kernel for TCP_CM_INQ on this socket, once per descriptor. Should a closed
  // socket's number come back for a new one, that one reads without the count: as Asio's.
  void count_bytes_left(int descriptor) noexcept {
    if (descriptor == counted_descriptor_ || descriptor < 0) return;
    const int on = 1;
    ::setsockopt(descriptor, SOL_TCP, TCP_INQ, &on, sizeof on);  // failing, reads go as Asio's
    counted_descriptor_ = descriptor;
  }

  const void* service_ = nullptr;  // the service reactor_ was looked up for
  boost::asio::detail::reactor* reactor_ = nullptr;
  int counted_descriptor_ = -1;
#endif
};

}  // namespace jtgw::http
