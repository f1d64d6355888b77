// Limits and deadlines: oversized headers, clients that stall mid-header, idle
// keep-alive connections. Timeouts are set short; the assertions are about what happens
// (431, connection closed), never about how long it took.
#include "tests/gateway/http/support.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

using namespace jtgw;
using namespace jtgw::http;
using namespace jtgw::http::test;

BOOST_AUTO_TEST_CASE(oversized_header_gets_431_and_close) {
  server_limits limits;
  limits.header_limit = 4096;
  test_server srv(target_handler(), limits);
  const auto ep = srv.listen();
  read_result got;
  run_client([&]() -> net::awaitable<void> {
    got = co_await send_raw(ep, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(8000, 'a') + "\r\n\r\n");
  });
  BOOST_TEST(got.closed);
  const auto responses = parse_responses(got.data);
  BOOST_REQUIRE_EQUAL(responses.size(), 1u);
  BOOST_TEST(responses[0].result_int() == 431u);
  BOOST_TEST(responses[0].body().find("\"header_too_large\"") != std::string::npos);

  // Just under the limit is served.
  run_client([&]() -> net::awaitable<void> {
    got = co_await send_raw(ep, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: " +
                                    std::string(3900, 'a') + "\r\n\r\n");
  });
  BOOST_TEST(status_of(got.data) == 200u);
}

BOOST_AUTO_TEST_CASE(header_that_never_ends_gets_431_even_when_sent_slowly) {
  server_limits limits;
  limits.header_limit = 2048;
  test_server srv(target_handler(), limits);
  const auto ep = srv.listen();
  read_result got;
  run_client([&]() -> net::awaitable<void> {
    auto socket = co_await connect_to(ep);
    co_await send_all(socket, "GET / HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 40; ++i) co_await send_all(socket, "X-Line: " + std::string(90, 'b') + "\r\n");
    beast::flat_buffer buffer;
    got = co_await read_until_closed(socket, buffer);
  });
  BOOST_TEST(got.closed);
  BOOST_TEST(status_of(got.data) == 431u);
}

BOOST_AUTO_TEST_CASE(client_stalling_mid_header_is_closed_by_read_timeout) {
  server_limits limits;
  limits.read_timeout = 300ms;
  test_server srv(target_handler(), limits);
  const auto ep = srv.listen();
  read_result got;
  run_client([&]() -> net::awaitable<void> {
    // Half a header, then nothing: the server must give up on its own.
    got = co_await send_raw(ep, "GET / HTTP/1.1\r\nHost: x\r\n", 20s);
  });
  BOOST_TEST(got.closed);
  BOOST_TEST(!got.timed_out);
  BOOST_TEST(got.data.empty());
  BOOST_TEST(srv.get().metrics().counter("jtgw_http_requests_total", "").value({{"route", "test"}, {"status", "200"}}) == 0u);
}

BOOST_AUTO_TEST_CASE(client_dribbling_a_header_is_closed_by_read_timeout) {
  // Each byte arrives well within the timeout, but the whole header does not: the
  // deadline covers the request, not each read (slowloris).
  server_limits limits;
  limits.read_timeout = 500ms;
  test_server srv(target_handler(), limits);
  const auto ep = srv.listen();
  bool closed = false;
  run_client([&]() -> net::awaitable<void> {
    auto socket = co_await connect_to(ep);
    net::steady_timer timer(co_await net::this_coro::executor);
    const std::string header = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(200, 'c') + "\r\n\r\n";
    for (char c : header) {
      auto [ec, n] = co_await net::async_write(socket, net::buffer(&c, 1), net::as_tuple(net::use_awaitable));
      if (ec) {
        closed = true;
        break;
      }
      timer.expires_after(50ms);
      co_await timer.async_wait(net::use_awaitable);
    }
  });
  BOOST_TEST(closed);
}

BOOST_AUTO_TEST_CASE(idle_keep_alive_connection_is_closed_after_idle_timeout) {
  server_limits limits;
  limits.idle_timeout = 300ms;
  test_server srv(target_handler(), limits);
  const auto ep = srv.listen();
  read_result rest;
  string_response first;
  run_client([&]() -> net::awaitable<void> {
    auto socket = co_await connect_to(ep);
    co_await send_all(socket, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    beast::flat_buffer buffer;
    first = co_await read_response(socket, buffer);
    rest = co_await read_until_closed(socket, buffer, 20s);
  });
  BOOST_TEST(first.result_int() == 200u);
  BOOST_TEST(first.keep_alive());
  BOOST_TEST(rest.closed);
  BOOST_TEST(!rest.timed_out);
  BOOST_TEST(rest.data.empty());
  BOOST_TEST(srv.get().open_connections() <= 1u);
}
