#pragma once
// The HTTP server core that jtgw and jira-sample both run on: listeners (plain or TLS),
// one coroutine per connection on its own strand, limits and deadlines on every read and
// write, keep-alive, graceful drain and certificate reload. What a request means is the
// request_handler's business (see exchange.hpp; whole_request.hpp for simple handlers).
//
// Threads: run the io_context on as many threads as wanted. listen() and reload_tls()
// may be called from any thread; stop_accepting() too (it takes effect on the acceptor
// strand, promptly); drain() is awaited from any coroutine.
#include "gateway/http/exchange.hpp"
#include "gateway/http/metrics.hpp"
#include "gateway/http/net.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/system/result.hpp>
#include <spdlog/logger.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace jtgw::http {

struct listener_config {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port (listen() returns the one bound)
  std::string tls_cert;    // PEM chain; with tls_key: a TLS listener. Both empty: plain.
  std::string tls_key;
};

// Optional collaborators; null members get defaults.
struct server_options {
  std::shared_ptr<metrics_registry> metrics;   // null: a registry of the server's own
  std::shared_ptr<spdlog::logger> access_log;  // null: access_logger() ("access")
  // Only one thread runs the io_context: connections then need no strand of their own.
  bool one_thread = false;
};

struct server_state;

class server {
 public:
  server(net::io_context& ioc, std::shared_ptr<request_handler> handler, server_limits limits,
         server_options options = {});
  // Stops accepting. Open connections finish by themselves (they share the state).
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Binds and starts accepting on one address. Returns the bound endpoint (the real port
  // when config.port is 0). Errors: a bad address (invalid_argument), the TLS files'
  // load error, only one of tls_cert/tls_key set (invalid_argument), bind/listen errors
  // (address_in_use, access_denied, …). Nothing is left listening on error.
  boost::system::result<tcp::endpoint> listen(const listener_config& config);

  // Closes every listener: new connections are refused. Idempotent.
  void stop_accepting();
  // True until stop_accepting() has taken effect on every listener.
  bool accepting() const noexcept;

  // Graceful stop: stops accepting, closes idle keep-alive connections, lets in-flight
  // requests finish (their responses say Connection: close), and when `timeout` passes
  // closes whatever is still open. Completes when no connection is open (or shortly after
  // the forced close, should a connection not notice).
  net::awaitable<void> drain(std::chrono::milliseconds timeout);

  // Loads every TLS listener's certificate and key again into new contexts used by
  // connections accepted from now on; open connections keep their context. All or
  // nothing: if any file fails to load, every listener keeps its old context and the
  // first error is returned. Success with no TLS listener.
  error_code reload_tls();

  std::size_t open_connections() const noexcept;
  metrics_registry& metrics() noexcept;

 private:
  struct listener;
  std::shared_ptr<server_state> state_;
  net::strand<net::io_context::executor_type> accept_strand_;
  mutable std::mutex listeners_mutex_;
  std::vector<std::shared_ptr<listener>> listeners_;
};

}  // namespace jtgw::http
