// drain_aware_socket on real loopback sockets. What it must do: skip the recv that a read
// started on an emptied socket would waste (counted below), and never lose data for it:
// bytes still queued after a read, data that arrived while no read was pending, urgent
// data, the end of the stream (also when it came with the last bytes) and cancellation all
// still complete the next read. The io_context runs under
// generous bounds only so that a lost wake-up fails the test instead of hanging it.
#include "gateway/http/drain_aware_socket.hpp"
#include "tests/gateway/http/support.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace jtgw;
using namespace jtgw::http;
using namespace std::chrono_literals;

namespace {
std::atomic<int> watched_socket{-1};
std::atomic<int> recv_calls{0};
}  // namespace

// Every recv(2) and recvmsg(2) this executable makes goes through here (Asio's reads call
// ::recv, drain_aware_socket's ::recvmsg), so the tests can count those made on the socket
// under test.
extern "C" ssize_t recv(int fd, void* data, size_t size, int flags) {
  if (fd == watched_socket.load()) recv_calls.fetch_add(1);
  return ::syscall(SYS_recvfrom, fd, data, size, flags, nullptr, nullptr);
}
extern "C" ssize_t recvmsg(int fd, msghdr* message, int flags) {
  if (fd == watched_socket.load()) recv_calls.fetch_add(1);
  return ::syscall(SYS_recvmsg, fd, message, flags);
}

namespace {

constexpr auto bound = 5s;  // far beyond any wait below

struct read_result {
  bool done = false;
  error_code ec;
  std::size_t n = 0;
};

// A connected pair on 127.0.0.1: the socket under test and the peer's plain socket.
template <class Socket>
struct connected_pair {
  net::io_context ioc;
  std::optional<Socket> socket;
  std::optional<tcp::socket> peer;
  std::array<char, 64> buffer{};

  connected_pair() {
    auto [ours, theirs] = test::connect_loopback(ioc);
    peer.emplace(std::move(theirs));
    socket.emplace(std::move(ours));
    watched_socket = socket->native_handle();
    recv_calls = 0;
  }
  ~connected_pair() { watched_socket = -1; }

  void start_read(read_result& result, std::size_t size) {
    auto done = [&result](error_code ec, std::size_t n) { result = {true, ec, n}; };
    if constexpr (std::is_same_v<Socket, drain_aware_socket>)
      socket->async_read_some_drain_aware(net::buffer(buffer.data(), size), done);
    else
      socket->async_read_some(net::buffer(buffer.data(), size), done);
  }

  // Runs the io_context until `done` holds, within the bound.
  void run_until(const bool& done) {
    const auto give_up = std::chrono::steady_clock::now() + bound;
    while (!done && std::chrono::steady_clock::now() < give_up) {
      ioc.restart();  // it stops whenever it runs out of work
      ioc.run_one_for(100ms);
    }
  }

  void finish(const read_result& result) { run_until(result.done); }

  // Lets the reactor wait in epoll for a while, so events for the socket are taken in.
  void idle(std::chrono::milliseconds time) {
    net::steady_timer timer(ioc, time);
    bool fired = false;
    timer.async_wait([&fired](error_code) { fired = true; });
    run_until(fired);
  }

  void peer_sends(const std::string& text) { net::write(*peer, net::buffer(text)); }

  std::string received(const read_result& result) const { return std::string(buffer.data(), result.n); }

  // Reads into the whole buffer and runs until the read completes.
  read_result read_next() {
    read_result result;
    start_read(result, buffer.size());
    finish(result);
    BOOST_REQUIRE(result.done);
    return result;
  }

  // Starts a read of the whole buffer, checks that it waits (no data yet), then lets
  // `event` happen and runs until the read completes.
  read_result waiting_read_until(const std::function<void()>& event) {
    read_result result;
    start_read(result, buffer.size());
    idle(50ms);
    BOOST_REQUIRE(!result.done);
    event();
    finish(result);
    BOOST_REQUIRE(result.done);
    return result;
  }

  // A first read that empties the socket: "abc" into 64 bytes.
  void drain() {
    peer_sends("abc");
    read_result first;
    start_read(first, buffer.size());
    finish(first);
    BOOST_REQUIRE(first.done && !first.ec);
    BOOST_REQUIRE_EQUAL(received(first), "abc");
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(after_a_read_that_emptied_the_socket_the_next_waits_for_data_without_a_recv) {
  connected_pair<drain_aware_socket> pair;
  pair.drain();
  recv_calls = 0;
  const read_result next = pair.waiting_read_until([&] {
    BOOST_TEST(recv_calls.load() == 0);  // Asio's own read has tried, and failed, once here
    pair.peer_sends("defg");
  });
  BOOST_TEST(!next.ec);
  BOOST_TEST(pair.received(next) == "defg");
  BOOST_TEST(recv_calls.load() == 1);
}

// The count above means something: the same steps on Asio's socket make the recv that fails.
BOOST_AUTO_TEST_CASE(asio_s_own_read_makes_the_failing_recv_that_the_count_catches) {
  connected_pair<tcp::socket> pair;
  pair.drain();
  recv_calls = 0;
  pair.waiting_read_until([&] {
    BOOST_TEST(recv_calls.load() == 1);
    pair.peer_sends("defg");
  });
  BOOST_TEST(recv_calls.load() == 2);
}

BOOST_AUTO_TEST_CASE(a_read_that_fills_its_buffer_lets_the_next_read_take_the_rest_at_once) {
  connected_pair<drain_aware_socket> pair;
  pair.peer_sends(std::string(30, 'x') + "tail");
  pair.idle(20ms);  // all of it in the receive queue, and epoll's event taken in
  read_result first;
  pair.start_read(first, 30);
  pair.finish(first);
  BOOST_REQUIRE(first.done && first.n == 30);

  read_result rest;
  pair.start_read(rest, pair.buffer.size());
  pair.finish(rest);  // no new data will come: only a recv at once can complete this read
  BOOST_REQUIRE(rest.done);
  BOOST_TEST(pair.received(rest) == "tail");
}

// The kernel's count, not the read's size, decides: a read that fills its buffer exactly
// and leaves nothing behind also lets the next read wait without a recv.
BOOST_AUTO_TEST_CASE(a_read_that_fills_its_buffer_and_empties_the_socket_lets_the_next_wait) {
  connected_pair<drain_aware_socket> pair;
  pair.peer_sends(std::string(pair.buffer.size(), 'y'));
  pair.idle(20ms);
  read_result whole;
  pair.start_read(whole, pair.buffer.size());
  pair.finish(whole);
  BOOST_REQUIRE(whole.done && whole.n == pair.buffer.size());
  recv_calls = 0;
  const read_result next = pair.waiting_read_until([&] {
    BOOST_TEST(recv_calls.load() == 0);
    pair.peer_sends("z");
  });
  BOOST_TEST(pair.received(next) == "z");
  BOOST_TEST(recv_calls.load() == 1);
}

BOOST_AUTO_TEST_CASE(data_that_arrives_while_no_read_is_pending_is_not_lost) {
  connected_pair<drain_aware_socket> pair;
  pair.drain();
  pair.peer_sends("late");
  pair.idle(50ms);  // the reactor takes in the socket's event while nothing reads
  read_result next;
  pair.start_read(next, pair.buffer.size());
  pair.finish(next);
  BOOST_REQUIRE(next.done);
  BOOST_TEST(!next.ec);
  BOOST_TEST(pair.received(next) == "late");
}

// A FIN that comes with the last bytes is taken in by the same recvmsg and its epoll event
// is spent: the read after them must still see the end of the stream, whether the bytes
// were read at once or by a read already waiting.
BOOST_AUTO_TEST_CASE(the_end_of_the_stream_that_comes_with_the_last_bytes_is_seen) {
  connected_pair<drain_aware_socket> pair;
  pair.peer_sends("abc");
  pair.peer->shutdown(tcp::socket::shutdown_send);
  pair.idle(20ms);  // both in the receive queue, the event taken in
  const read_result last = pair.read_next();
  BOOST_TEST(pair.received(last) == "abc");
  BOOST_TEST(pair.read_next().ec == net::error::eof);
}

BOOST_AUTO_TEST_CASE(the_end_of_the_stream_that_comes_with_the_bytes_a_read_waits_for_is_seen) {
  connected_pair<drain_aware_socket> pair;
  pair.drain();
  const read_result last = pair.waiting_read_until([&] {
    pair.peer_sends("xyz");
    pair.peer->shutdown(tcp::socket::shutdown_send);
  });
  BOOST_TEST(pair.received(last) == "xyz");
  BOOST_TEST(pair.read_next().ec == net::error::eof);
}

// TCP urgent data stops a read at its mark with bytes still queued: the count says so, and
// the read after it takes them without waiting for more.
BOOST_AUTO_TEST_CASE(urgent_data_does_not_stall_the_bytes_after_it) {
  connected_pair<drain_aware_socket> pair;
  pair.peer_sends("abc");
  BOOST_REQUIRE_EQUAL(::send(pair.peer->native_handle(), "!", 1, MSG_OOB), 1);
  pair.peer_sends("def");
  pair.idle(20ms);
  std::string got;
  while (got.size() < 6) {
    const read_result next = pair.read_next();
    BOOST_REQUIRE(!next.ec);
    got += pair.received(next);
  }
  BOOST_TEST(got == "abcdef");
}

BOOST_AUTO_TEST_CASE(the_end_of_the_stream_completes_a_waiting_read) {
  connected_pair<drain_aware_socket> pair;
  pair.drain();
  const read_result next = pair.waiting_read_until([&] { pair.peer->shutdown(tcp::socket::shutdown_send); });
  BOOST_TEST(next.ec == net::error::eof);
}

BOOST_AUTO_TEST_CASE(closing_the_socket_aborts_a_waiting_read) {
  connected_pair<drain_aware_socket> pair;
  pair.drain();
  const read_result next = pair.waiting_read_until([&] { pair.socket->close(); });
  BOOST_TEST(next.ec == net::error::operation_aborted);
}

BOOST_AUTO_TEST_CASE(a_cancellation_signal_aborts_a_waiting_read_and_the_socket_reads_on) {
  connected_pair<drain_aware_socket> pair;
  pair.drain();
  net::cancellation_signal signal;
  read_result cancelled;
  pair.socket->async_read_some_drain_aware(
      net::buffer(pair.buffer), net::bind_cancellation_slot(signal.slot(), [&](error_code ec, std::size_t n) {
        cancelled = {true, ec, n};
      }));
  pair.idle(20ms);
  BOOST_REQUIRE(!cancelled.done);
  signal.emit(net::cancellation_type::terminal);
  pair.finish(cancelled);
  BOOST_REQUIRE(cancelled.done);
  BOOST_TEST(cancelled.ec == net::error::operation_aborted);

  pair.peer_sends("after");
  read_result next;
  pair.start_read(next, pair.buffer.size());
  pair.finish(next);
  BOOST_REQUIRE(next.done);
  BOOST_TEST(pair.received(next) == "after");
}

BOOST_AUTO_TEST_CASE(an_empty_buffer_completes_at_once_without_a_recv) {
  connected_pair<drain_aware_socket> pair;
  read_result empty;
  pair.start_read(empty, 0);
  pair.finish(empty);
  BOOST_REQUIRE(empty.done);
  BOOST_TEST(!empty.ec);
  BOOST_TEST(empty.n == 0u);
  BOOST_TEST(recv_calls.load() == 0);
}

// Two threads run the io_context (reads on a strand, the reactor on either thread) while
// the peer writes 4 MiB in chunks of random size at random moments, and the reads take
// random sizes: every byte arrives, in order. A wake-up lost between a read that emptied the socket and the
// next would stall the stream until the bound.
BOOST_AUTO_TEST_CASE(a_stream_cut_at_random_arrives_whole_with_two_threads) {
  constexpr std::size_t total = 4 << 20;
  net::io_context ioc(2);
  auto [ours, peer] = test::connect_loopback(ioc);
  drain_aware_socket socket(std::move(ours));

  std::thread writer([&peer] {
    std::mt19937 random(7);
    std::vector<std::uint8_t> chunk;
    for (std::size_t sent = 0; sent < total;) {
      chunk.resize(std::min<std::size_t>(total - sent, 1 + random() % 20000));
      for (auto& byte : chunk) byte = static_cast<std::uint8_t>(sent++ % 251);
      error_code ec;
      net::write(peer, net::buffer(chunk), ec);
      if (ec) return;  // the reader gave up
      if (random() % 4 == 0) std::this_thread::sleep_for(std::chrono::microseconds(random() % 300));
    }
  });

  auto strand = net::make_strand(ioc);
  std::vector<std::uint8_t> buffer(8192);
  std::mt19937 random(11);
  std::size_t received = 0;
  bool in_order = true;
  std::atomic<bool> finished{false};
  std::function<void()> read_next = [&] {
    socket.async_read_some_drain_aware(net::buffer(buffer.data(), 1 + random() % buffer.size()),
                                       net::bind_executor(strand, [&](error_code ec, std::size_t n) {
                                         for (std::size_t i = 0; i < n; ++i)
                                           in_order = in_order && buffer[i] == (received + i) % 251;
                                         received += n;
                                         if (ec || received >= total) {
                                           finished = true;
                                           return;
                                         }
                                         read_next();
                                       }));
  };
  net::post(strand, read_next);
  net::steady_timer give_up(ioc, bound);
  give_up.async_wait(net::bind_executor(strand, [&](error_code ec) {
    if (!ec) socket.close();
  }));
  std::thread second([&] { ioc.run(); });
  while (!finished) ioc.run_one_for(100ms);
  give_up.cancel();
  ioc.run();
  second.join();
  writer.join();
  BOOST_TEST(received == total);
  BOOST_TEST(in_order);
}
