#pragma once
// The admin API's listener: HTTP/1.1 on a unix socket, never on TCP. Whoever may open
// the socket file is an admin, so the file is created with a chosen mode (0660: jtgw's
// user and group) before anyone can connect. It runs on its own thread and io_context,
// so a long backup never holds up the gateway's request threads.
#include "gateway/admin/admin_api.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <thread>

namespace jtgw::admin {

struct admin_server_options {
  std::filesystem::path socket;
  unsigned mode = 0660;
  std::uint32_t header_limit = 8 * 1024;
  std::uint64_t body_limit = 64 * 1024;
  std::chrono::milliseconds read_timeout{10'000};   // one request
  std::chrono::milliseconds write_timeout{10'000};  // one response
  std::chrono::milliseconds idle_timeout{30'000};   // keep-alive wait
  std::size_t max_connections = 16;                 // more are closed at once
  std::uint32_t max_requests_per_connection = 1'000;
};

/// Answers one request; `actor` names the peer ("admin uid=1000 (ann)", from SO_PEERCRED).
using admin_handler = std::function<admin_response(const admin_request&, std::string_view actor)>;

namespace detail {
struct admin_state;  // the io_context, acceptor and connection count (admin_server.cpp)
}

class admin_server {
 public:
  admin_server(admin_server_options options, admin_handler handler);
  // stop().
  ~admin_server();
  admin_server(const admin_server&) = delete;
  admin_server& operator=(const admin_server&) = delete;

  /// Creates the socket and starts serving on a thread of its own. A file already at
  /// the path is replaced only if it is a socket nobody listens on (left by a crash);
  /// a live one means another jtgw is running. The socket is bound, given `mode`, and
  /// only then listens, so no connection is accepted before the mode is in place.
  /// Throws std::runtime_error naming the path (too long, directory missing, in use,
  /// not a socket, chmod/bind/listen errors); std::logic_error when already started.
  void start();

  /// Stops accepting, closes open admin connections, joins the thread and removes the
  /// socket file if it is still the one start() made. Idempotent.
  void stop();

 private:
  admin_server_options options_;
  admin_handler handler_;
  std::unique_ptr<detail::admin_state> state_;
  std::thread thread_;
};

/// The server for a gateway config's [admin] section, started; nullptr when the socket
/// path is the default and its directory does not exist (a warning is logged: the
/// gateway still serves; systemd's RuntimeDirectory= makes /run/jtgw). Throws as
/// start() for a configured path.
std::unique_ptr<admin_server> start_admin_socket(const std::filesystem::path& socket, bool configured,
                                                 unsigned mode, storage::token_store& store);

}  // namespace jtgw::admin
