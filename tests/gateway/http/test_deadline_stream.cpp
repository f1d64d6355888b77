// deadline_stream on real loopback sockets: what its lazy timer must still guarantee.
// A silent peer makes every read wait for the deadline; the assertions are about the
// outcome (timeout or not, the io_context going idle), and the io_context runs under a
// generous bound (run_for) only so that a broken timer fails the test instead of hanging it.
#include "gateway/http/deadline_stream.hpp"
#include "tests/gateway/http/support.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <functional>
#include <optional>
#include <string_view>

using namespace jtgw;
using namespace jtgw::http;
using namespace std::chrono_literals;

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
constexpr auto bound = 20s;  // far beyond every deadline below
const error_code timed_out = beast::error::timeout;

// A connected pair on 127.0.0.1: our stream and the peer's socket.
struct connected_pair {
  net::io_context ioc;
  std::optional<deadline_stream> stream;
  std::optional<tcp::socket> peer;

  connected_pair() {
    auto [ours, theirs] = test::connect_loopback(ioc);
    peer.emplace(std::move(theirs));
    stream.emplace(std::move(ours));
  }

  // Runs the io_context until it has no work left (bounded); true if the coroutine finished.
  bool run(std::function<net::awaitable<void>()> body) {
    bool done = false;
    net::co_spawn(ioc, [&]() -> net::awaitable<void> {
      co_await body();
      done = true;
    }, net::detached);
    ioc.run_for(bound);
    ioc.restart();
    return done;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(read_completes_before_its_deadline_and_times_out_after_it) {
  connected_pair p;
  error_code first, second;
  std::size_t got = 0;
  BOOST_TEST(p.run([&]() -> net::awaitable<void> {
    std::array<char, 16> buf;
    net::write(*p.peer, net::buffer("hi", 2));
    p.stream->expires_after(10s);
    std::tie(first, got) = co_await p.stream->async_read_some(net::buffer(buf), use_tuple);
    p.stream->expires_after(50ms);  // the peer stays silent
    std::tie(second, std::ignore) = co_await p.stream->async_read_some(net::buffer(buf), use_tuple);
  }));
  BOOST_TEST(!first);
  BOOST_TEST(got == 2u);
  BOOST_TEST(second == timed_out);
  BOOST_TEST(!p.stream->socket().is_open());  // a timeout closes the socket
}

// The timer armed for the first (long) deadline must not hide a shorter one set later.
BOOST_AUTO_TEST_CASE(an_earlier_deadline_set_while_waiting_applies) {
  connected_pair p;
  error_code ec;
  BOOST_TEST(p.run([&]() -> net::awaitable<void> {
    std::array<char, 16> buf;
    p.stream->expires_after(60s);
    net::steady_timer shorten(co_await net::this_coro::executor, 50ms);
    shorten.async_wait([&](error_code) { p.stream->expires_after(50ms); });
    std::tie(ec, std::ignore) = co_await p.stream->async_read_some(net::buffer(buf), use_tuple);
  }));
  BOOST_TEST(ec == timed_out);
}

BOOST_AUTO_TEST_CASE(a_deadline_already_past_fails_the_next_operation) {
  connected_pair p;
  error_code ec;
  BOOST_TEST(p.run([&]() -> net::awaitable<void> {
    std::array<char, 16> buf;
    p.stream->expires_after(1ms);
    net::steady_timer pause(co_await net::this_coro::executor, 20ms);
    co_await pause.async_wait(net::use_awaitable);
    std::tie(ec, std::ignore) = co_await p.stream->async_read_some(net::buffer(buf), use_tuple);
  }));
  BOOST_TEST(ec == timed_out);
}

// Deadlines pushed later by each operation never fire.
BOOST_AUTO_TEST_CASE(later_deadlines_do_not_fire) {
  connected_pair p;
  std::vector<error_code> errors;
  BOOST_TEST(p.run([&]() -> net::awaitable<void> {
    std::array<char, 16> buf;
    for (int i = 0; i < 5; ++i) {
      p.stream->expires_after(100ms);
      net::steady_timer later(co_await net::this_coro::executor, 30ms);
      later.async_wait([&](error_code) { net::write(*p.peer, net::buffer("x", 1)); });
      auto [ec, n] = co_await p.stream->async_read_some(net::buffer(buf), use_tuple);
      errors.push_back(ec);
    }
  }));
  BOOST_TEST(errors.size() == 5u);
  for (const auto& ec : errors) BOOST_TEST(!ec);
}

// A stream with no deadline and nothing pending leaves the io_context idle: its timer,
// armed for a long deadline by the last read, must not keep run() going until then.
BOOST_AUTO_TEST_CASE(an_idle_stream_without_deadline_lets_run_return) {
  connected_pair p;
  error_code ec;
  const auto started = std::chrono::steady_clock::now();
  BOOST_TEST(p.run([&]() -> net::awaitable<void> {
    std::array<char, 16> buf;
    net::write(*p.peer, net::buffer("x", 1));
    p.stream->expires_after(10min);
    std::tie(ec, std::ignore) = co_await p.stream->async_read_some(net::buffer(buf), use_tuple);
    p.stream->expires_never();
  }));
  BOOST_TEST(!ec);
  BOOST_TEST((std::chrono::steady_clock::now() - started < bound / 2));
}

BOOST_AUTO_TEST_CASE(writes_time_out_when_the_peer_stops_reading) {
  connected_pair p;
  error_code ec;
  std::size_t total = 0;
  BOOST_TEST(p.run([&]() -> net::awaitable<void> {
    const std::string block(64 * 1024, 'w');
    p.stream->expires_after(200ms);
    // The peer never reads: the socket buffers fill and a write stays pending.
    for (int i = 0; i < 10'000 && !ec; ++i) {
      std::size_t n = 0;
      std::tie(ec, n) = co_await p.stream->async_write_some(net::buffer(block), use_tuple);
      total += n;
    }
  }));
  BOOST_TEST(ec == timed_out);
  BOOST_TEST(total > 0u);
}

// Deadlines are taken from the coarse clock: the same clock as steady_clock, behind it by
// at most a tick, never ahead (a deadline may come a tick early, never late).
BOOST_AUTO_TEST_CASE(the_coarse_clock_trails_steady_clock_by_at_most_a_tick) {
  for (int i = 0; i < 1000; ++i) {
    const auto coarse = jtgw::http::coarse_now();
    const auto precise = std::chrono::steady_clock::now();
    BOOST_TEST_REQUIRE((coarse <= precise));
    // A tick is 1–10 ms; the bound leaves room for a preemption between the two reads.
    BOOST_TEST_REQUIRE((precise - coarse < std::chrono::seconds(1)));
  }
}

// A response whose body ends with the connection (no length): the FIN comes right after
// its last bytes, here in the same read. Beast must get the whole body and the end of the
// stream at once, not wait for the deadline.
BOOST_AUTO_TEST_CASE(a_response_ended_by_closing_the_connection_is_read_whole_at_once) {
  connected_pair p;
  error_code ec;
  beast::http::response<beast::http::string_body> response;
  std::chrono::steady_clock::duration took{};
  BOOST_TEST(p.run([&]() -> net::awaitable<void> {
    const std::string_view wire = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nhello, all of it";
    net::write(*p.peer, net::buffer(wire));
    p.peer->shutdown(tcp::socket::shutdown_send);
    // The reactor takes in the socket's one event before the reads start.
    net::steady_timer pause(co_await net::this_coro::executor, 20ms);
    co_await pause.async_wait(net::use_awaitable);
    p.stream->expires_after(10s);
    beast::flat_buffer buffer;
    const auto started = std::chrono::steady_clock::now();
    std::tie(ec, std::ignore) = co_await beast::http::async_read(*p.stream, buffer, response, use_tuple);
    took = std::chrono::steady_clock::now() - started;
    p.stream->expires_never();
  }));
  BOOST_TEST(!ec);
  BOOST_TEST(response.body() == "hello, all of it");
  BOOST_TEST((took < 5s));
}

// A reset that arrives with the last bytes: they are read, and the read after them ends,
// with connection_reset or, when the reset's epoll event was spent on those bytes, at its
// deadline (drain_aware_socket.hpp) — never later.
BOOST_AUTO_TEST_CASE(a_reset_after_the_last_bytes_ends_the_next_read_by_its_deadline) {
  connected_pair p;
  error_code first, second;
  std::size_t got = 0;
  BOOST_TEST(p.run([&]() -> net::awaitable<void> {
    std::array<char, 16> buf;
    net::write(*p.peer, net::buffer("abc", 3));
    p.peer->set_option(net::socket_base::linger(true, 0));
    p.peer->close();  // linger 0: an RST
    net::steady_timer pause(co_await net::this_coro::executor, 20ms);
    co_await pause.async_wait(net::use_awaitable);
    p.stream->expires_after(10s);
    std::tie(first, got) = co_await p.stream->async_read_some(net::buffer(buf), use_tuple);
    p.stream->expires_after(200ms);
    std::tie(second, std::ignore) = co_await p.stream->async_read_some(net::buffer(buf), use_tuple);
  }));
  BOOST_TEST(!first);
  BOOST_TEST(got == 3u);
  BOOST_TEST((second == net::error::connection_reset || second == timed_out));
}
