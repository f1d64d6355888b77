// request_slots: never more holders than slots, waiters served in arrival order, and a
// waiter cancelled while waiting takes no slot.
#include <boost/test/unit_test.hpp>

#include <vector>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "gateway/jira/request_slots.hpp"

using namespace jtgw;
using jtgw::jira::request_slots;

namespace {

// One holder: takes a slot, records it, holds it for `hold` turns of the loop, releases.
net::awaitable<void> holder(request_slots& slots, int id, int hold, int& holding, int& most, std::vector<int>& order,
                            std::vector<int>& refused) {
  co_await net::this_coro::throw_if_cancelled(false);
  if (!co_await slots.acquire()) {
    refused.push_back(id);
    co_return;
  }
  order.push_back(id);
  most = std::max(most, ++holding);
  for (int i = 0; i < hold; ++i) co_await net::post(co_await net::this_coro::executor, net::use_awaitable);
  --holding;
  slots.release();
}

}  // namespace

BOOST_AUTO_TEST_CASE(at_most_the_slots_hold_at_once_in_arrival_order) {
  net::io_context ioc;
  request_slots slots(3);
  int holding = 0, most = 0;
  std::vector<int> order, refused;
  for (int id = 0; id < 10; ++id)
    net::co_spawn(ioc, holder(slots, id, 5 + id % 3, holding, most, order, refused), net::detached);
  ioc.run();
  BOOST_TEST(most == 3);
  BOOST_TEST(order == (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), boost::test_tools::per_element());
  BOOST_TEST(refused.empty());
  BOOST_TEST(slots.free() == 3u);
}

BOOST_AUTO_TEST_CASE(a_cancelled_waiter_takes_no_slot) {
  net::io_context ioc;
  request_slots slots(1);
  int holding = 0, most = 0;
  std::vector<int> order, refused;
  net::cancellation_signal stop;
  net::co_spawn(ioc, holder(slots, 0, 20, holding, most, order, refused), net::detached);
  net::co_spawn(ioc, holder(slots, 1, 1, holding, most, order, refused),
                net::bind_cancellation_slot(stop.slot(), net::detached));
  net::co_spawn(ioc, holder(slots, 2, 1, holding, most, order, refused), net::detached);
  net::post(ioc, [&] { stop.emit(net::cancellation_type::terminal); });  // while 1 waits behind 0
  ioc.run();
  BOOST_TEST(order == (std::vector<int>{0, 2}), boost::test_tools::per_element());
  BOOST_TEST(refused == (std::vector<int>{1}), boost::test_tools::per_element());
  BOOST_TEST(most == 1);
  BOOST_TEST(slots.free() == 1u);
}
