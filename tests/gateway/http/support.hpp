#pragma once
// Test helpers for gateway/http: a server on its own threads, client coroutines over real
// loopback sockets, commands (curl, openssl) and self-signed certificates in temp dirs.
#include "gateway/http/server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace jtgw::http::test {

using namespace std::chrono_literals;

// A directory under /tmp, removed with everything in it on destruction.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A server with its io_context run by `threads` threads; stopped on destruction.
class test_server {
 public:
  explicit test_server(std::shared_ptr<request_handler> handler, server_limits limits = {},
                       server_options options = {}, int threads = 2);
  ~test_server();
  // Listens on 127.0.0.1 port 0 (plain unless cert/key given); BOOST_REQUIREs success.
  tcp::endpoint listen(const std::string& cert = {}, const std::string& key = {});
  server& get() { return *server_; }
  // Runs a coroutine on the server's io_context and waits for it.
  void run(std::function<net::awaitable<void>()> task);

 private:
  net::io_context ioc_;
  std::unique_ptr<server> server_;
  std::vector<std::thread> threads_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
};

// Runs a client coroutine on a fresh io_context; fails the test if it throws or takes
// longer than `limit` (a hang guard, not a timing assertion).
void run_client(std::function<net::awaitable<void>()> task, std::chrono::seconds limit = 60s);

net::awaitable<tcp::socket> connect_to(tcp::endpoint endpoint);

// A connected pair on 127.0.0.1, made synchronously in `ioc`: `ours` (the connecting side,
// the socket under test) and `peer` (the accepted side).
struct loopback_sockets {
  tcp::socket ours;
  tcp::socket peer;
};
loopback_sockets connect_loopback(net::io_context& ioc);
net::awaitable<void> send_all(tcp::socket& socket, std::string_view bytes);
// Reads one response (throws on error).
net::awaitable<string_response> read_response(tcp::socket& socket, beast::flat_buffer& buffer);

struct read_result {
  std::string data;       // everything received
  bool closed = false;    // the server closed the connection (EOF or reset)
  bool timed_out = false; // `limit` passed with the connection still open
};
// Reads until the server closes the connection or `limit` passes.
net::awaitable<read_result> read_until_closed(tcp::socket& socket, beast::flat_buffer& buffer,
                                              std::chrono::milliseconds limit = 10s);

// Connects, sends `bytes`, and reads until the server closes (or `limit` passes).
net::awaitable<read_result> send_raw(tcp::endpoint endpoint, std::string bytes,
                                     std::chrono::milliseconds limit = 10s);

// The complete responses in `data`, in order (a trailing incomplete one is ignored).
std::vector<string_response> parse_responses(std::string_view data);

// A handler that answers every request with 200 and the body "<method> <target>",
// never reading the request body (so the session has to skip or close). Route "test".
std::shared_ptr<request_handler> target_handler();

// "HTTP/1.1 400 …" → 400; 0 if `data` does not start with a status line.
unsigned status_of(std::string_view data);

struct command_result {
  int exit_code = -1;
  std::string output;  // stdout
};
// Runs a shell command line and waits for it (popen: the child is reaped by pclose).
command_result run_command(const std::string& command_line);

struct cert_files {
  std::string cert;
  std::string key;
};
// A self-signed EC certificate for CN/SAN localhost and 127.0.0.1, made by the openssl CLI.
cert_files make_self_signed(const std::filesystem::path& dir, const std::string& name);

// The curl command prefix for requests to `endpoint` (quiet, bounded time).
std::string curl_base();
std::string url_of(const tcp::endpoint& endpoint, bool tls, const std::string& path);

}  // namespace jtgw::http::test
