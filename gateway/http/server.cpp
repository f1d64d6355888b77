#include "gateway/http/server.hpp"

#include "gateway/http/access_log.hpp"
#include "gateway/http/io_errors.hpp"
#include "gateway/http/server_state.hpp"
#include "gateway/http/tls_context.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

namespace jtgw::http {
namespace {

constexpr net::as_tuple_t<net::use_awaitable_t<>> use_tuple{};
// After an accept error such as EMFILE, wait before retrying instead of spinning.
constexpr std::chrono::milliseconds accept_retry_delay{100};
// How often drain() looks at the number of open connections.
constexpr std::chrono::milliseconds drain_poll{10};
// After drain's forced close: how long to wait for sessions to notice.
constexpr std::chrono::milliseconds forced_close_grace{2'000};

}  // namespace

server_instruments::server_instruments(metrics_registry& registry)
    : requests(registry.counter("jtgw_http_requests_total", "HTTP requests answered, by route and status.")),
      duration(registry.histogram("jtgw_http_request_duration_seconds",
                                  "Time from request header arrival to the end of the exchange, by route.")),
      connections(registry.counter("jtgw_http_connections_total", "Connections accepted, by TLS.")),
      open_connections(registry.gauge("jtgw_http_open_connections", "Connections open now.")),
      bytes_in_family(registry.counter("jtgw_http_request_body_bytes_total", "Request body bytes read.")),
      bytes_out_family(registry.counter("jtgw_http_response_bytes_total", "Response bytes written, headers included.")),
      bytes_in(bytes_in_family.at({})),
      bytes_out(bytes_out_family.at({})) {}

server_state::server_state(net::io_context& ioc_, std::shared_ptr<request_handler> handler_,
                           server_limits limits_, std::shared_ptr<metrics_registry> metrics_,
                           std::shared_ptr<spdlog::logger> access_log_, bool one_thread_)
    : ioc(ioc_),
      one_thread(one_thread_),
      handler(std::move(handler_)),
      limits(limits_),
      metrics(metrics_ ? std::move(metrics_) : std::make_shared<metrics_registry>()),
      access_log(access_log_ ? std::move(access_log_) : access_logger()),
      instruments(*metrics) {}

std::uint64_t server_state::add(const std::shared_ptr<connection>& conn) {
  std::lock_guard lock(mutex_);
  const std::uint64_t id = next_id_++;
  connections_.emplace(id, conn);
  open.fetch_add(1, std::memory_order_relaxed);
  instruments.open_connections.add({}, 1);
  return id;
}

void server_state::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  if (connections_.erase(id) == 0) return;
  open.fetch_sub(1, std::memory_order_relaxed);
  instruments.open_connections.add({}, -1);
}

std::vector<std::shared_ptr<connection>> server_state::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<connection>> out;
  out.reserve(connections_.size());
  for (const auto& [id, weak] : connections_)
    if (auto conn = weak.lock()) out.push_back(std::move(conn));
  return out;
}

struct server::listener {
  listener(net::any_io_executor ex, listener_config c) : acceptor(std::move(ex)), config(std::move(c)) {}
  tcp::acceptor acceptor;  // touched only on the server's accept strand after listen()
  const listener_config config;
  std::atomic<bool> closed{false};

  std::shared_ptr<net::ssl::context> tls() const {
    std::lock_guard lock(tls_mutex);
    return tls_context;
  }
  void set_tls(std::shared_ptr<net::ssl::context> ctx) {
    std::lock_guard lock(tls_mutex);
    tls_context = std::move(ctx);
  }
  mutable std::mutex tls_mutex;
  std::shared_ptr<net::ssl::context> tls_context;
};

namespace {

template <class Listener>
net::awaitable<void> accept_loop(std::shared_ptr<server_state> state, std::shared_ptr<Listener> l) {
  error_code local_ec;  // stop_accepting() may have closed the acceptor already
  const tcp::endpoint local = l->acceptor.local_endpoint(local_ec);
  for (;;) {
    // Each connection gets its own strand: its session runs there, and any_stream's
    // completions land there, so a connection is never touched by two threads at once.
    // On one thread that holds already; a strand would only add a dispatch (a lock and
    // an executor copy) to every completion.
    net::any_io_executor strand = state->one_thread ? net::any_io_executor(state->ioc.get_executor())
                                                    : net::any_io_executor(net::make_strand(state->ioc));
    auto [ec, socket] = co_await l->acceptor.async_accept(strand, use_tuple);
    if (!l->acceptor.is_open() || ec == net::error::operation_aborted) co_return;
    if (ec) {
      report_io_error("accept", ec, local);
      net::steady_timer timer(co_await net::this_coro::executor, accept_retry_delay);
      co_await timer.async_wait(use_tuple);
      continue;
    }
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);  // responses are written whole
    auto tls = l->tls();
    auto conn = std::make_shared<connection>(strand);
    // The completion handler keeps `conn` (and so its cancellation signal) alive until
    // the coroutine is completely done with the slot.
    auto done = net::bind_cancellation_slot(conn->cancel.slot(), [conn](std::exception_ptr) {});
    net::co_spawn(strand, run_session(state, conn, std::move(socket), std::move(tls)), std::move(done));
  }
}

}  // namespace

server::server(net::io_context& ioc, std::shared_ptr<request_handler> handler, server_limits limits,
               server_options options)
    : state_(std::make_shared<server_state>(ioc, std::move(handler), limits, std::move(options.metrics),
                                            std::move(options.access_log), options.one_thread)),
      accept_strand_(net::make_strand(ioc)) {}

server::~server() { stop_accepting(); }

boost::system::result<tcp::endpoint> server::listen(const listener_config& config) {
  error_code ec;
  const auto address = net::ip::make_address(config.address, ec);
  if (ec) return ec;
  if (config.tls_cert.empty() != config.tls_key.empty())
    return make_error_code(boost::system::errc::invalid_argument);
  auto l = std::make_shared<listener>(accept_strand_, config);
  if (!config.tls_cert.empty()) {
    auto ctx = make_server_tls_context(config.tls_cert, config.tls_key);
    if (!ctx) return ctx.error();
    l->set_tls(std::move(*ctx));
  }
  const tcp::endpoint endpoint(address, config.port);
  l->acceptor.open(endpoint.protocol(), ec);
  if (!ec) l->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) l->acceptor.bind(endpoint, ec);
  if (!ec) l->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return ec;
  const tcp::endpoint bound = l->acceptor.local_endpoint(ec);
  if (ec) return ec;
  {
    std::lock_guard lock(listeners_mutex_);
    listeners_.push_back(l);
  }
  net::co_spawn(accept_strand_, accept_loop(state_, l), net::detached);
  return bound;
}

void server::stop_accepting() {
  std::vector<std::shared_ptr<listener>> listeners;
  {
    std::lock_guard lock(listeners_mutex_);
    listeners = listeners_;
  }
  // On the accept strand: the accept loops touch the acceptors only there.
  net::dispatch(accept_strand_, [listeners = std::move(listeners)] {
    for (const auto& l : listeners) {
      error_code ignored;  // closing twice, or a socket already closed, is fine
      l->acceptor.close(ignored);
      l->closed = true;
    }
  });
}

bool server::accepting() const noexcept {
  std::lock_guard lock(listeners_mutex_);
  for (const auto& l : listeners_)
    if (!l->closed) return true;
  return false;
}

net::awaitable<void> server::drain(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  state_->draining = true;
  stop_accepting();
  // Idle keep-alive connections have nothing in flight: close them now.
  for (const auto& conn : state_->snapshot()) {
    net::post(conn->strand, [conn] {
      if (conn->stream && conn->idle) conn->stream->tcp().close();
    });
  }
  net::steady_timer timer(co_await net::this_coro::executor);
  while ((open_connections() > 0 || accepting()) && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(drain_poll);
    co_await timer.async_wait(use_tuple);
  }
  if (open_connections() == 0) co_return;
  spdlog::warn("drain timeout: closing {} connection(s) still open", open_connections());
  for (const auto& conn : state_->snapshot()) {
    net::post(conn->strand, [conn] {
      if (conn->stream) conn->stream->tcp().close();
      conn->cancel.emit(net::cancellation_type::terminal);
    });
  }
  const auto grace_end = std::chrono::steady_clock::now() + forced_close_grace;
  while (open_connections() > 0 && std::chrono::steady_clock::now() < grace_end) {
    timer.expires_after(drain_poll);
    co_await timer.async_wait(use_tuple);
  }
}

error_code server::reload_tls() {
  std::vector<std::shared_ptr<listener>> listeners;
  {
    std::lock_guard lock(listeners_mutex_);
    listeners = listeners_;
  }
  std::vector<std::shared_ptr<net::ssl::context>> fresh;
  for (const auto& l : listeners) {
    if (l->config.tls_cert.empty()) {
      fresh.emplace_back();
      continue;
    }
    auto ctx = make_server_tls_context(l->config.tls_cert, l->config.tls_key);
    if (!ctx) {
      spdlog::error("TLS reload failed for {}: {}; keeping the current certificate",
                    l->config.tls_cert, ctx.error().message());
      return ctx.error();
    }
    fresh.push_back(std::move(*ctx));
  }
  for (std::size_t i = 0; i < listeners.size(); ++i)
    if (fresh[i]) listeners[i]->set_tls(std::move(fresh[i]));
  return {};
}

std::size_t server::open_connections() const noexcept {
  return state_->open.load(std::memory_order_relaxed);
}

metrics_registry& server::metrics() noexcept { return *state_->metrics; }

}  // namespace jtgw::http
