#include "tests/gateway/http/support.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <cstdlib>
#include <future>
#include <sys/wait.h>

namespace jtgw::http::test {

temp_dir::temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "jtgw-http-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

test_server::test_server(std::shared_ptr<request_handler> handler, server_limits limits,
                         server_options options, int threads)
    : server_(std::make_unique<server>(ioc_, std::move(handler), limits, std::move(options))) {
  work_.emplace(ioc_.get_executor());
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
}

test_server::~test_server() {
  server_->stop_accepting();
  work_.reset();
  ioc_.stop();
  for (auto& t : threads_) t.join();
  server_.reset();
}

tcp::endpoint test_server::listen(const std::string& cert, const std::string& key) {
  listener_config config;
  config.address = "127.0.0.1";
  config.tls_cert = cert;
  config.tls_key = key;
  auto bound = server_->listen(config);
  BOOST_REQUIRE_MESSAGE(bound.has_value(), "listen failed: " << (bound ? "" : bound.error().message()));
  return *bound;
}

void test_server::run(std::function<net::awaitable<void>()> task) {
  std::promise<void> done;
  auto future = done.get_future();
  net::co_spawn(ioc_, task(), [&done](std::exception_ptr e) {
    if (e) done.set_exception(e);
    else done.set_value();
  });
  BOOST_REQUIRE(future.wait_for(120s) == std::future_status::ready);
  future.get();
}

void run_client(std::function<net::awaitable<void>()> task, std::chrono::seconds limit) {
  net::io_context ioc;
  bool finished = false;
  std::exception_ptr error;
  net::co_spawn(ioc, task(), [&](std::exception_ptr e) {
    finished = true;
    error = e;
  });
  ioc.run_for(limit);
  BOOST_REQUIRE_MESSAGE(finished, "client did not finish in time");
  if (error) std::rethrow_exception(error);
}

net::awaitable<tcp::socket> connect_to(tcp::endpoint endpoint) {
  tcp::socket socket(co_await net::this_coro::executor);
  co_await socket.async_connect(endpoint, net::use_awaitable);
  co_return socket;
}

loopback_sockets connect_loopback(net::io_context& ioc) {
  tcp::acceptor acceptor(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  tcp::socket ours(ioc);
  ours.connect(acceptor.local_endpoint());
  return {std::move(ours), acceptor.accept()};
}

net::awaitable<void> send_all(tcp::socket& socket, std::string_view bytes) {
  co_await net::async_write(socket, net::buffer(bytes), net::use_awaitable);
}

net::awaitable<string_response> read_response(tcp::socket& socket, beast::flat_buffer& buffer) {
  string_response response;
  co_await beast::http::async_read(socket, buffer, response, net::use_awaitable);
  co_return response;
}

net::awaitable<read_result> read_until_closed(tcp::socket& socket, beast::flat_buffer& buffer,
                                              std::chrono::milliseconds limit) {
  read_result result;
  result.data.assign(static_cast<const char*>(buffer.data().data()), buffer.size());
  buffer.consume(buffer.size());
  net::steady_timer timer(co_await net::this_coro::executor, limit);
  bool expired = false;
  timer.async_wait([&](error_code ec) {
    if (ec) return;
    expired = true;
    error_code ignored;
    socket.cancel(ignored);
  });
  char chunk[4096];
  for (;;) {
    auto [ec, n] = co_await socket.async_read_some(net::buffer(chunk), net::as_tuple(net::use_awaitable));
    result.data.append(chunk, n);
    if (!ec) continue;
    if (expired) result.timed_out = true;
    else result.closed = true;
    break;
  }
  timer.cancel();
  co_return result;
}

net::awaitable<read_result> send_raw(tcp::endpoint endpoint, std::string bytes,
                                     std::chrono::milliseconds limit) {
  auto socket = co_await connect_to(endpoint);
  co_await send_all(socket, bytes);
  beast::flat_buffer buffer;
  co_return co_await read_until_closed(socket, buffer, limit);
}

std::vector<string_response> parse_responses(std::string_view data) {
  std::vector<string_response> out;
  while (!data.empty()) {
    beast::http::response_parser<beast::http::string_body> parser;
    parser.eager(true);
    error_code ec;
    const std::size_t used = parser.put(net::buffer(data.data(), data.size()), ec);
    if (ec || !parser.is_done()) break;
    out.push_back(parser.release());
    data.remove_prefix(used);
  }
  return out;
}

namespace {
class target_only_handler final : public request_handler {
 public:
  net::awaitable<void> handle(exchange& ex) override {
    ex.record().route = "test";
    string_response res{beast::http::status::ok, ex.request().version()};
    res.body() = std::string(ex.request().method_string()) + " " + std::string(ex.request().target());
    co_await ex.write(res);
  }
};
}  // namespace

std::shared_ptr<request_handler> target_handler() { return std::make_shared<target_only_handler>(); }

unsigned status_of(std::string_view data) {
  if (data.size() < 12 || data.substr(0, 5) != "HTTP/") return 0;
  return static_cast<unsigned>(std::atoi(std::string(data.substr(9, 3)).c_str()));
}

command_result run_command(const std::string& command_line) {
  command_result result;
  FILE* pipe = popen(command_line.c_str(), "r");
  if (!pipe) return result;
  char chunk[4096];
  std::size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, pipe)) > 0) result.output.append(chunk, n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

cert_files make_self_signed(const std::filesystem::path& dir, const std::string& name) {
  cert_files files{(dir / (name + ".crt")).string(), (dir / (name + ".key")).string()};
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
      " -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1"
      " -keyout " + files.key + " -out " + files.cert + " 2>&1";
  const auto made = run_command(command);
  BOOST_REQUIRE_MESSAGE(made.exit_code == 0, "openssl req failed: " << made.output);
  return files;
}

std::string curl_base() { return "curl -sS --max-time 20 "; }

std::string url_of(const tcp::endpoint& endpoint, bool tls, const std::string& path) {
  return std::string(tls ? "https://" : "http://") + endpoint.address().to_string() + ":" +
         std::to_string(endpoint.port()) + path;
}

}  // namespace jtgw::http::test
