// The admin socket: creation with its mode, and a small coroutine session per
// connection (the one Beast-over-unix-socket translation unit of the server side).
#include "gateway/admin/admin_server.hpp"

#include "gateway/http/error_response.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <optional>
#include <stdexcept>

namespace jtgw::admin {

using local = net::local::stream_protocol;
using local_stream = beast::basic_stream<local>;
namespace bhttp = beast::http;

namespace {

constexpr net::as_tuple_t<net::use_awaitable_t<>> use_tuple{};

[[noreturn]] void refuse(const std::filesystem::path& socket, const std::string& why) {
  throw std::runtime_error("admin socket " + socket.string() + ": " + why);
}

// A socket file left by a crashed jtgw is replaced; a live one, or anything else, is not.
void clear_stale_socket(const std::filesystem::path& socket) {
  struct stat st {};
  if (::lstat(socket.c_str(), &st) != 0) return;  // nothing there
  if (!S_ISSOCK(st.st_mode)) refuse(socket, "exists and is not a socket; remove it or choose another path");
  net::io_context probe_context;
  local::socket probe(probe_context);
  error_code ec;
  probe.connect(local::endpoint(socket.string()), ec);
  if (!ec) refuse(socket, "another process is listening on it (is another jtgw running?)");
  if (ec != net::error::connection_refused) refuse(socket, "cannot check whether it is in use: " + ec.message());
  if (::unlink(socket.c_str()) != 0) refuse(socket, "cannot remove the stale socket file");
  spdlog::info("admin socket {}: replaced a stale socket file nobody was listening on", socket.string());
}

// Completion of the admin coroutines: nothing in them throws but bad_alloc; say so if it did.
void log_exception(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    spdlog::error("admin socket: a connection ended on an exception: {}", x.what());
  }
}

// "admin uid=1000 (ann)": who is at the other end, from the kernel (SO_PEERCRED).
std::string peer_actor(local::socket& socket) {
  ucred cred{};
  socklen_t size = sizeof cred;
  if (::getsockopt(socket.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &size) != 0)
    return std::string(storage::admin_actor);
  std::string actor = std::string(storage::admin_actor) + " uid=" + std::to_string(cred.uid);
  passwd entry{};
  passwd* found = nullptr;
  char buffer[1024];
  if (::getpwuid_r(cred.uid, &entry, buffer, sizeof buffer, &found) == 0 && found)
    actor += std::string(" (") + found->pw_name + ")";
  return actor;
}

// The status for a request that could not be read, or nullopt to just close.
std::optional<bhttp::status> read_failure_status(const error_code& ec) {
  if (ec == bhttp::error::body_limit) return bhttp::status::payload_too_large;
  if (ec == bhttp::error::header_limit) return bhttp::status::request_header_fields_too_large;
  // Any other parse error of Beast's is the client's malformed request.
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
      ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
    return bhttp::status::bad_request;
  return std::nullopt;  // end of stream, timeout, reset: nobody to answer
}

}  // namespace

struct detail::admin_state {
  net::io_context ioc{1};
  std::optional<local::acceptor> acceptor;
  std::size_t connections = 0;  // touched only on the admin thread
  ino_t inode = 0;
  dev_t device = 0;
};

namespace {

net::awaitable<void> serve_connection(detail::admin_state& st, const admin_server_options& options,
                                      const admin_handler& handler, local::socket socket) {
  const std::string actor = peer_actor(socket);
  local_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (std::uint32_t n = 0; n < options.max_requests_per_connection; ++n) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(options.header_limit);
    parser.body_limit(options.body_limit);
    stream.expires_after(n == 0 ? options.read_timeout : options.idle_timeout);
    auto [read_error, read_bytes] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
    admin_response response;
    bool keep_alive = false;
    if (read_error) {
      const auto status = read_failure_status(read_error);
      if (!status) break;
      response = http::json_error_response(*status, "bad_request", read_error.message());
    } else {
      const admin_request& request = parser.get();
      try {
        response = handler(request, actor);
      } catch (const std::exception& e) {  // only bad_alloc by contract; answer rather than vanish
        response = http::json_error_response(bhttp::status::internal_server_error, "internal", e.what());
      }
      keep_alive = request.keep_alive();
      spdlog::info("admin: {} {} -> {} ({})", std::string_view(request.method_string()),
                   std::string_view(request.target()), response.result_int(), actor);
    }
    response.keep_alive(keep_alive && n + 1 < options.max_requests_per_connection);
    response.prepare_payload();
    stream.expires_after(options.write_timeout);
    auto [write_error, written] = co_await bhttp::async_write(stream, response, use_tuple);
    if (write_error || !response.keep_alive()) break;
  }
  error_code ignored;
  stream.socket().shutdown(local::socket::shutdown_send, ignored);
  --st.connections;
}

net::awaitable<void> accept_loop(detail::admin_state& st, const admin_server_options& options,
                                 const admin_handler& handler) {
  for (;;) {
    auto [ec, socket] = co_await st.acceptor->async_accept(use_tuple);
    if (ec == net::error::operation_aborted || !st.acceptor->is_open()) co_return;
    if (ec) {
      spdlog::warn("admin socket: accept failed: {}", ec.message());
      continue;
    }
    if (st.connections >= options.max_connections) {
      spdlog::warn("admin socket: {} connections open; refusing another", st.connections);
      continue;  // the socket closes as it goes out of scope
    }
    ++st.connections;
    net::co_spawn(st.ioc, serve_connection(st, options, handler, std::move(socket)), log_exception);
  }
}

}  // namespace

admin_server::admin_server(admin_server_options options, admin_handler handler)
    : options_(std::move(options)), handler_(std::move(handler)) {}

admin_server::~admin_server() { stop(); }

void admin_server::start() {
  // A second start would replace the state while the first thread still runs on it.
  if (state_) throw std::logic_error("admin socket " + options_.socket.string() + ": already started");
  const auto& path = options_.socket;
  if (path.native().size() >= sizeof(sockaddr_un::sun_path))
    refuse(path, "the path is longer than a unix socket allows (" + std::to_string(sizeof(sockaddr_un::sun_path) - 1) +
                     " bytes)");
  if (!std::filesystem::is_directory(path.parent_path().empty() ? "." : path.parent_path()))
    refuse(path, "its directory does not exist");
  clear_stale_socket(path);

  auto st = std::make_unique<detail::admin_state>();
  st->acceptor.emplace(st->ioc);
  error_code ec;
  st->acceptor->open(local(), ec);
  if (!ec) st->acceptor->bind(local::endpoint(path.string()), ec);
  if (ec) refuse(path, "cannot bind: " + ec.message());
  // The file exists from bind() on, but connections are refused until listen(): setting
  // the mode in between leaves no moment in which the umask's mode would let anyone in.
  struct stat st_file {};
  if (::chmod(path.c_str(), options_.mode) != 0 || ::stat(path.c_str(), &st_file) != 0) {
    ::unlink(path.c_str());
    refuse(path, "cannot set its mode");
  }
  st->inode = st_file.st_ino;
  st->device = st_file.st_dev;
  st->acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    ::unlink(path.c_str());
    refuse(path, "cannot listen: " + ec.message());
  }

  net::co_spawn(st->ioc, accept_loop(*st, options_, handler_), log_exception);
  state_ = std::move(st);
  thread_ = std::thread([ioc = &state_->ioc] { ioc->run(); });
  spdlog::info("admin socket listening on {} (mode {:o})", path.string(), options_.mode);
}

void admin_server::stop() {
  if (!state_) return;
  state_->ioc.stop();
  if (thread_.joinable()) thread_.join();
  // Remove the file only if it is still ours (not one a newer jtgw made meanwhile).
  struct stat st_file {};
  if (::lstat(options_.socket.c_str(), &st_file) == 0 && st_file.st_ino == state_->inode &&
      st_file.st_dev == state_->device)
    ::unlink(options_.socket.c_str());
  // Destroying the io_context destroys the coroutines suspended in it, and with them
  // every open admin connection; the acceptor closes first. The coroutines refer to the
  // state, never own it: when they held a shared_ptr to it, the state owned the
  // io_context that owned them, the cycle kept all of it alive, and no connection closed.
  state_.reset();
}

std::unique_ptr<admin_server> start_admin_socket(const std::filesystem::path& socket, bool configured, unsigned mode,
                                                 storage::token_store& store) {
  if (!configured && !std::filesystem::is_directory(socket.parent_path())) {
    spdlog::warn("admin socket disabled: {} does not exist (set [admin] socket, or run under systemd with "
                 "RuntimeDirectory=jtgw)",
                 socket.parent_path().string());
    return nullptr;
  }
  auto api = std::make_shared<admin_api>(store);
  admin_server_options options;
  options.socket = socket;
  options.mode = mode;
  auto server = std::make_unique<admin_server>(
      options, [api](const admin_request& request, std::string_view actor) { return api->handle(request, actor); });
  server->start();
  return server;
}

}  // namespace jtgw::admin
