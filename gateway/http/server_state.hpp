#pragma once
// Internal to gateway/http: what the server and its sessions share. Sessions hold the
// state by shared_ptr, so a server may be destroyed while its last connections finish.
#include "gateway/http/any_stream.hpp"
#include "gateway/http/exchange.hpp"
#include "gateway/http/metrics.hpp"

#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <spdlog/logger.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace jtgw::http {

// One open connection as the server sees it, for drain. Touched only on `strand`.
struct connection {
  explicit connection(net::any_io_executor ex) : strand(std::move(ex)) {}
  net::any_io_executor strand;
  any_stream* stream = nullptr;  // set while the session owns a stream
  bool idle = false;             // waiting for the next request on a kept-alive connection
  // Bound to the session coroutine: a forced close also cancels what the handler awaits
  // (an upstream call, a timer), which closing the client socket alone would not reach.
  net::cancellation_signal cancel;
};

struct server_instruments {
  explicit server_instruments(metrics_registry& registry);
  counter_family& requests;          // by route and status
  histogram_family& duration;        // seconds, by route
  counter_family& connections;       // accepted, by tls
  gauge_family& open_connections;
  counter_family& bytes_in_family;   // request body bytes
  counter_family& bytes_out_family;  // response bytes including headers
  // The byte counters have no labels: found once, updated without a lookup or a lock.
  counter_series bytes_in;
  counter_series bytes_out;
};

struct server_state {
  server_state(net::io_context& ioc, std::shared_ptr<request_handler> handler, server_limits limits,
               std::shared_ptr<metrics_registry> metrics, std::shared_ptr<spdlog::logger> access_log,
               bool one_thread);

  net::io_context& ioc;
  const bool one_thread;  // server_options::one_thread
  const std::shared_ptr<request_handler> handler;
  const server_limits limits;
  const std::shared_ptr<metrics_registry> metrics;
  const std::shared_ptr<spdlog::logger> access_log;
  server_instruments instruments;

  std::atomic<bool> draining{false};
  std::atomic<std::size_t> open{0};

  // Registers a connection (counts it open); the returned id removes it again.
  std::uint64_t add(const std::shared_ptr<connection>& conn);
  void remove(std::uint64_t id);
  // Live connections now (a snapshot: each must be touched on its strand).
  std::vector<std::shared_ptr<connection>> snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::uint64_t next_id_ = 0;
  std::unordered_map<std::uint64_t, std::weak_ptr<connection>> connections_;
};

// Serves one accepted connection until it closes. `tls` is null for a plain listener;
// the session keeps it alive, so a certificate reload never affects open connections.
// Must be spawned on the socket's executor (a strand, also conn->strand), with
// conn->cancel's slot bound to the completion handler.
net::awaitable<void> run_session(std::shared_ptr<server_state> state, std::shared_ptr<connection> conn,
                                 tcp::socket socket, std::shared_ptr<net::ssl::context> tls);

}  // namespace jtgw::http
