#include "gateway/proxy/upstream_pool.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/url/parse.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <stdexcept>
#include <sys/socket.h>

namespace jtgw::proxy {
namespace {

namespace urls = boost::urls;
using boost::system::result;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

constexpr std::chrono::milliseconds unprobed_idle{100};

// Is an idle connection still usable? A peer that closed (FIN, TLS close_notify) or sent
// unsolicited bytes makes the socket readable; a healthy idle one has nothing to read.
bool still_open(upstream_connection& connection) {
  auto& socket = connection.stream.tcp().socket();
  if (!socket.is_open()) return false;
  char probe = 0;
  const auto n = ::recv(socket.native_handle(), &probe, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

// The executor of one connection: a strand, unless one thread runs everything anyway.
// On an io_context's own executor the strand wraps that concrete type: a strand over
// any_io_executor is too big for any_io_executor's inline storage, so every operation on
// the connection (each work-tracking copy Beast makes) would allocate a heap executor.
net::any_io_executor connection_executor(const net::any_io_executor& executor, bool one_thread) {
  if (one_thread) return executor;
  if (const auto* io = executor.target<net::io_context::executor_type>()) return net::make_strand(*io);
  return net::make_strand(executor);
}

}  // namespace

upstream_pool::upstream_pool(net::any_io_executor executor, upstream_config config)
    : executor_(std::move(executor)), config_(std::move(config)) {
  auto parsed = urls::parse_absolute_uri(config_.base_url);
  if (!parsed) throw std::invalid_argument("upstream URL '" + config_.base_url + "' is not a URL");
  const urls::url_view& url = *parsed;
  if (url.scheme_id() == urls::scheme::https)
    tls_ = true;
  else if (url.scheme_id() != urls::scheme::http)
    throw std::invalid_argument("upstream URL '" + config_.base_url + "' must be http or https");
  switch (url.host_type()) {
    case urls::host_type::name: host_ = url.host(); break;
    case urls::host_type::ipv4: host_ = url.host_ipv4_address().to_string(); break;
    case urls::host_type::ipv6: host_ = url.host_ipv6_address().to_string(); break;
    default: throw std::invalid_argument("upstream URL '" + config_.base_url + "' has no usable host");
  }
  if (host_.empty()) throw std::invalid_argument("upstream URL '" + config_.base_url + "' has no host");
  const std::string default_port = tls_ ? "443" : "80";
  port_ = url.has_port() && !url.port().empty() ? std::string(url.port()) : default_port;
  host_header_ = std::string(url.encoded_host_and_port());
  if (port_ == default_port) host_header_ = std::string(url.encoded_host());
  base_path_ = std::string(url.encoded_path());
  while (!base_path_.empty() && base_path_.back() == '/') base_path_.pop_back();

  if (tls_) {
    tls_context_ = std::make_unique<net::ssl::context>(net::ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(tls_context_->native_handle(), TLS1_2_VERSION);
    tls_context_->set_default_verify_paths();
    if (!config_.ca_file.empty()) tls_context_->load_verify_file(config_.ca_file);
    tls_context_->set_verify_mode(net::ssl::verify_peer);
  }
}

upstream_pool::~upstream_pool() = default;

// One thread: a lock/unlock pair on each take and release (two per proxied request)
// would guard against nobody.
std::unique_lock<std::mutex> upstream_pool::lock_idle() const {
  if (config_.one_thread) return std::unique_lock<std::mutex>(mutex_, std::defer_lock);
  return std::unique_lock<std::mutex>(mutex_);
}

std::size_t upstream_pool::idle_count() const {
  const auto lock = lock_idle();
  return idle_.size();
}

connection_ptr upstream_pool::take_idle() {
  const auto now = http::coarse_now();
  const auto lock = lock_idle();
  while (!idle_.empty()) {
    connection_ptr connection = std::move(idle_.back());  // the warmest first
    idle_.pop_back();
    const auto idle_for = now - connection->idle_since;
    // A connection idle for under 100 ms is taken without the probe (a syscall per request
    // under load): upstreams close idle connections after seconds, and a bodiless request
    // that finds one closed anyway is retried on a fresh connection.
    if (idle_for < config_.idle_timeout && (idle_for < unprobed_idle || still_open(*connection))) {
      connection->reused = true;
      return connection;
    }
  }
  return nullptr;
}

void upstream_pool::release(connection_ptr connection) {
  if (!connection || connection->buffer.size() != 0) return;
  connection->idle_since = http::coarse_now();
  connection->stream.tcp().expires_never();
  const auto lock = lock_idle();
  if (idle_.size() >= config_.max_idle) idle_.pop_front();  // the coldest goes
  idle_.push_back(std::move(connection));
}

net::awaitable<result<connection_ptr>> upstream_pool::acquire(bool reuse_allowed) {
  if (reuse_allowed)
    if (auto idle = take_idle()) co_return std::move(idle);
  co_return co_await connect_new();
}

net::awaitable<result<connection_ptr>> upstream_pool::connect_new() {
  using namespace net::experimental::awaitable_operators;
  // DNS has no deadline of its own: race it against a timer; the loser is cancelled.
  tcp::resolver resolver(executor_);
  net::steady_timer timer(executor_, config_.resolve_timeout);
  auto raced = co_await (resolver.async_resolve(host_, port_, use_tuple) || timer.async_wait(use_tuple));
  if (raced.index() == 1) co_return error_code(beast::error::timeout);
  auto [resolve_error, endpoints] = std::get<0>(std::move(raced));
  if (resolve_error) co_return resolve_error;

  http::deadline_stream tcp_stream(connection_executor(executor_, config_.one_thread));
  tcp_stream.expires_after(config_.connect_timeout);
  auto [connect_error, endpoint] = co_await tcp_stream.async_connect(endpoints, use_tuple);
  if (connect_error) co_return connect_error;
  tcp_stream.socket().set_option(tcp::no_delay(true));
  ++opened_;

  if (!tls_) {
    tcp_stream.expires_never();
    co_return std::make_unique<upstream_connection>(http::any_stream(std::move(tcp_stream)));
  }

  http::any_stream::tls_stream tls_stream(std::move(tcp_stream), *tls_context_);
  SSL* ssl = tls_stream.native_handle();
  error_code not_an_address;
  net::ip::make_address(host_, not_an_address);
  if (!not_an_address) {
    // An IP literal: no SNI (RFC 6066 forbids it); verify the certificate's IP SAN instead.
    if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host_.c_str()) != 1)
      co_return error_code(static_cast<int>(::ERR_get_error()), net::error::get_ssl_category());
  } else {
    if (SSL_set_tlsext_host_name(ssl, host_.c_str()) != 1 || SSL_set1_host(ssl, host_.c_str()) != 1)
      co_return error_code(static_cast<int>(::ERR_get_error()), net::error::get_ssl_category());
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  }
  http::any_stream stream(std::move(tls_stream));
  stream.tcp().expires_after(config_.connect_timeout);
  auto [handshake_error] = co_await stream.async_handshake(net::ssl::stream_base::client, use_tuple);
  if (handshake_error) co_return handshake_error;
  stream.tcp().expires_never();
  co_return std::make_unique<upstream_connection>(std::move(stream));
}

}  // namespace jtgw::proxy
