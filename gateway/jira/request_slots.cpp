#include "gateway/jira/request_slots.hpp"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace jtgw::jira {

struct request_slots::waiter {
  explicit waiter(const net::any_io_executor& ex) : wake(ex, net::steady_timer::time_point::max()) {}
  net::steady_timer wake;  // cancelled by release() (granted) or by the waiter's own cancellation
  bool granted = false;
};

net::awaitable<bool> request_slots::acquire() {
  if (free_ > 0) {
    --free_;
    co_return true;
  }
  auto me = std::make_shared<waiter>(co_await net::this_coro::executor);
  waiting_.push_back(me);
  co_await me->wake.async_wait(net::as_tuple(net::use_awaitable));
  if (me->granted) co_return true;
  // Woken without a slot: the coroutine is being cancelled; leave the queue.
  waiting_.erase(std::remove(waiting_.begin(), waiting_.end(), me), waiting_.end());
  co_return false;
}

void request_slots::release() {
  if (waiting_.empty()) {
    ++free_;
    return;
  }
  // The slot passes straight to the longest waiter.
  auto next = std::move(waiting_.front());
  waiting_.pop_front();
  next->granted = true;
  next->wake.cancel();
}

}  // namespace jtgw::jira
