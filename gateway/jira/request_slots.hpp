#pragma once
// A counting semaphore for coroutines on one strand: at most `slots` holders at a time,
// the others wait in arrival order. It caps how many Jira requests one export keeps in
// flight when several fetches (the page being read and the one prefetched) want more.
// Not thread-safe: every member runs on the strand of the coroutines using it.
#include <cstddef>
#include <deque>
#include <memory>

#include "gateway/http/net.hpp"

namespace jtgw::jira {

class request_slots {
 public:
  explicit request_slots(std::size_t slots) : free_(slots) {}

  /// Takes a slot, waiting for one when all are taken. True: the caller holds a slot and
  /// must release() it. False: the awaiting coroutine was cancelled while waiting (no slot).
  net::awaitable<bool> acquire();

  /// Gives a slot back; the longest waiter gets it.
  void release();

  std::size_t free() const noexcept { return free_; }

 private:
  struct waiter;
  std::size_t free_;
  std::deque<std::shared_ptr<waiter>> waiting_;
};

}  // namespace jtgw::jira
