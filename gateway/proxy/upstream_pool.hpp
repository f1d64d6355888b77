#pragma once
// Connections to the one upstream (Jira), kept alive and reused between requests.
//
// Every connection lives on its own strand of the pool's executor (a connection's stream
// needs one on a multi-threaded io_context; with upstream_config::one_thread, the
// executor itself); any_stream delivers completions on the caller's executor, so a
// session on its own strand can borrow any pooled connection.
// TLS upstreams are verified: chain against the system CAs plus an optional CA file,
// and the host name (or IP literal) of the base URL; SNI is sent for host names.
#include "gateway/http/any_stream.hpp"
#include "gateway/http/net.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/system/result.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

namespace jtgw::proxy {

struct upstream_config {
  std::string base_url;  // "https://jira.example.com[:port][/base-path]"; http allowed
  std::string ca_file;   // extra PEM CA bundle for https, optional
  std::chrono::milliseconds resolve_timeout{5'000};
  std::chrono::milliseconds connect_timeout{5'000};    // TCP connect, and TLS handshake
  std::chrono::milliseconds response_timeout{60'000};  // until the response header, and
                                                       // between any two reads of its body
  // Idle keep-alive connections kept. Sized above typical concurrency (Tableau and wrk
  // runs use 64 connections): below it every burst reconnects to Jira. Idle ones still
  // close after idle_timeout, so the bound costs nothing when quiet.
  std::size_t max_idle = 256;
  std::chrono::milliseconds idle_timeout{30'000};      // older idle connections are dropped
  // Only one thread runs the pool's io_context: connections then need no strand, and the
  // idle list no lock (every member of the pool is then called on that thread).
  bool one_thread = false;
};

// Bytes asked of the socket per read. Beast sizes reads by the buffer's free capacity
// (at least 512 bytes): without this reservation a body would arrive 512 bytes per read.
inline constexpr std::size_t upstream_read_size = 64 * 1024;

// One connection, owned by one request at a time.
struct upstream_connection {
  explicit upstream_connection(http::any_stream s) : stream(std::move(s)) { buffer.reserve(upstream_read_size); }
  http::any_stream stream;
  beast::flat_buffer buffer;  // read buffer for responses on this connection
  // The header text being written: the request to Jira, then the response to the client.
  // Kept with the connection so its capacity is reused by every request it carries.
  std::string head;
  bool reused = false;        // came from the idle list (may have been closed meanwhile)
  std::chrono::steady_clock::time_point idle_since{};
};
using connection_ptr = std::unique_ptr<upstream_connection>;

class upstream_pool {
 public:
  // Start-up only: throws std::invalid_argument for a base URL that is not http(s) with a
  // host, and std::system_error when ca_file cannot be loaded.
  upstream_pool(net::any_io_executor executor, upstream_config config);
  ~upstream_pool();
  upstream_pool(const upstream_pool&) = delete;
  upstream_pool& operator=(const upstream_pool&) = delete;

  // A live idle connection if there is one (and reuse is allowed), else a new one.
  // Errors: beast::error::timeout (resolve, connect or handshake took too long);
  // the resolver's error (host not found); the connect error (refused, unreachable);
  // the TLS handshake error (chain or host name not verified).
  net::awaitable<boost::system::result<connection_ptr>> acquire(bool reuse_allowed = true);
  // acquire() in two steps, for the relay's hot path: a live idle connection or null
  // (no coroutine frame when there is one), then a new connection (errors as acquire's).
  connection_ptr take_idle();
  net::awaitable<boost::system::result<connection_ptr>> connect_new();

  // Returns a connection for reuse. Only call this after a complete response on a
  // keep-alive connection with no bytes left over in connection->buffer; otherwise just
  // drop the pointer (the socket closes). Beyond max_idle the connection is closed.
  void release(connection_ptr connection);

  // Host header value for the upstream: the host, with ":port" when not the default.
  const std::string& host_header() const noexcept { return host_header_; }
  // The base URL's path without a trailing slash ("" or "/jira"); prefixed to targets.
  const std::string& base_path() const noexcept { return base_path_; }
  const upstream_config& config() const noexcept { return config_; }

  // With one_thread, only on the io_context's thread (as every other member).
  std::size_t idle_count() const;
  // Connections opened since start (tests and metrics: is keep-alive working?).
  std::uint64_t connections_opened() const noexcept { return opened_.load(); }

 private:
  // The idle list's lock, held only when several threads may share the pool.
  std::unique_lock<std::mutex> lock_idle() const;

  net::any_io_executor executor_;
  upstream_config config_;
  bool tls_ = false;
  std::string host_;  // as in the URL, IPv6 without brackets
  std::string port_;
  std::string host_header_;
  std::string base_path_;
  std::unique_ptr<net::ssl::context> tls_context_;

  mutable std::mutex mutex_;          // guards idle_ unless config_.one_thread
  std::deque<connection_ptr> idle_;  // most recently released at the back
  std::atomic<std::uint64_t> opened_{0};
};

}  // namespace jtgw::proxy
