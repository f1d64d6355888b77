// Connection lifecycle under load and at shutdown: 1,000 concurrent connections, and
// drain (in-flight requests finish, new connections refused, idle and stuck ones closed).
#include "gateway/http/whole_request.hpp"
#include "tests/gateway/http/support.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <future>
#include <sys/resource.h>

using namespace jtgw;
using namespace jtgw::http;
using namespace jtgw::http::test;

namespace {

// Both ends of every connection live in this process: 2 descriptors per connection.
void raise_open_file_limit(rlim_t wanted) {
  rlimit limit{};
  BOOST_REQUIRE(getrlimit(RLIMIT_NOFILE, &limit) == 0);
  if (limit.rlim_cur >= wanted) return;
  limit.rlim_cur = std::min(wanted, limit.rlim_max);
  BOOST_REQUIRE(setrlimit(RLIMIT_NOFILE, &limit) == 0);
  BOOST_REQUIRE_MESSAGE(limit.rlim_cur >= wanted, "RLIMIT_NOFILE hard limit too low: " << limit.rlim_max);
}

// A handler that signals when a request reached it, then waits `delay` before answering.
struct slow_handler_state {
  std::promise<void> started;
  std::atomic<bool> signalled{false};
};

std::shared_ptr<request_handler> slow_handler(std::shared_ptr<slow_handler_state> state,
                                              std::chrono::milliseconds delay) {
  return make_whole_request_handler([state, delay](string_request req, peer_info) -> net::awaitable<string_response> {
    if (!state->signalled.exchange(true)) state->started.set_value();
    net::steady_timer timer(co_await net::this_coro::executor, delay);
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    string_response res{beast::http::status::ok, req.version()};
    res.body() = "slow done";
    co_return res;
  });
}

std::future<void> start_drain(test_server& srv, std::chrono::milliseconds timeout) {
  return std::async(std::launch::async, [&srv, timeout] {
    srv.run([&srv, timeout]() -> net::awaitable<void> { co_await srv.get().drain(timeout); });
  });
}

void wait_until_not_accepting(test_server& srv) {
  for (int i = 0; i < 2000 && srv.get().accepting(); ++i) std::this_thread::sleep_for(5ms);
  BOOST_REQUIRE(!srv.get().accepting());
}

}  // namespace

BOOST_AUTO_TEST_CASE(thousand_concurrent_connections_are_served) {
  constexpr int connections = 1000;
  raise_open_file_limit(4 * connections + 256);
  test_server srv(target_handler());
  const auto ep = srv.listen();
  int ok = 0;
  int failed = 0;
  run_client([&]() -> net::awaitable<void> {
    auto ex = co_await net::this_coro::executor;
    // Open every connection first, so all 1,000 are open at the same time.
    std::vector<tcp::socket> sockets;
    for (int i = 0; i < connections; ++i) sockets.push_back(co_await connect_to(ep));
    int pending = connections;
    net::steady_timer all_done(ex, std::chrono::steady_clock::time_point::max());
    for (int i = 0; i < connections; ++i) {
      net::co_spawn(ex, [&, i]() -> net::awaitable<void> {
        const std::string path = "/c" + std::to_string(i);
        co_await send_all(sockets[i], "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
        beast::flat_buffer buffer;
        auto res = co_await read_response(sockets[i], buffer);
        if (res.result_int() == 200 && res.body() == "GET " + path) ++ok;
        else ++failed;
      }, [&](std::exception_ptr e) {
        if (e) ++failed;
        if (--pending == 0) all_done.cancel();
      });
    }
    co_await all_done.async_wait(net::as_tuple(net::use_awaitable));
  }, 120s);
  BOOST_TEST(ok == connections);
  BOOST_TEST(failed == 0);
}

BOOST_AUTO_TEST_CASE(drain_lets_in_flight_request_finish_and_refuses_new_connections) {
  auto state = std::make_shared<slow_handler_state>();
  test_server srv(slow_handler(state, 800ms));
  const auto ep = srv.listen();

  // An idle keep-alive connection: drain must close it without waiting for the timeout.
  std::promise<tcp::endpoint> idle_ready;
  read_result idle_result;
  std::thread idle_client([&] {
    run_client([&]() -> net::awaitable<void> {
      auto socket = co_await connect_to(ep);
      co_await send_all(socket, "GET /idle HTTP/1.1\r\nHost: x\r\n\r\n");
      beast::flat_buffer buffer;
      co_await read_response(socket, buffer);
      idle_ready.set_value(socket.local_endpoint());
      idle_result = co_await read_until_closed(socket, buffer, 60s);
    });
  });
  idle_ready.get_future().get();

  // A slow request in flight when the drain starts.
  string_response slow_response;
  std::thread slow_client([&] {
    run_client([&]() -> net::awaitable<void> {
      auto socket = co_await connect_to(ep);
      co_await send_all(socket, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
      beast::flat_buffer buffer;
      slow_response = co_await read_response(socket, buffer);
    });
  });
  // The idle client's request already fired `started`; wait for the slow one to be in flight.
  while (srv.get().open_connections() < 2) std::this_thread::sleep_for(5ms);
  std::this_thread::sleep_for(100ms);  // the slow request reaches its handler

  auto drained = start_drain(srv, 30s);
  wait_until_not_accepting(srv);
  bool refused = false;
  run_client([&]() -> net::awaitable<void> {
    tcp::socket socket(co_await net::this_coro::executor);
    auto [ec] = co_await socket.async_connect(ep, net::as_tuple(net::use_awaitable));
    refused = ec == net::error::connection_refused;
  });
  BOOST_TEST(refused);

  slow_client.join();
  idle_client.join();
  drained.get();
  BOOST_TEST(slow_response.result_int() == 200u);
  BOOST_TEST(slow_response.body() == "slow done");
  BOOST_TEST(!slow_response.keep_alive());  // draining: Connection: close
  BOOST_TEST(idle_result.closed);
  BOOST_TEST(!idle_result.timed_out);
  BOOST_TEST(srv.get().open_connections() == 0u);
}

BOOST_AUTO_TEST_CASE(drain_timeout_closes_stuck_connections) {
  auto state = std::make_shared<slow_handler_state>();
  test_server srv(slow_handler(state, 600s));
  const auto ep = srv.listen();
  read_result stuck;
  std::thread client([&] {
    run_client([&]() -> net::awaitable<void> {
      stuck = co_await send_raw(ep, "GET /stuck HTTP/1.1\r\nHost: x\r\n\r\n", 60s);
    });
  });
  state->started.get_future().get();
  auto drained = start_drain(srv, 200ms);
  drained.get();
  client.join();
  BOOST_TEST(stuck.closed);
  BOOST_TEST(!stuck.timed_out);
  BOOST_TEST(srv.get().open_connections() == 0u);
}
