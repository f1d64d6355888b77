#include "gateway/jira/prefetch.hpp"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace jtgw::jira {

using boost::system::result;
using fetch_result = result<page_ptr, jira_failure>;

struct page_pipeline::fetch_state {
  explicit fetch_state(const net::any_io_executor& ex) : wake(ex, net::steady_timer::time_point::max()) {}
  net::steady_timer wake;              // cancelled when the outcome arrives
  net::cancellation_signal cancel;     // stops the fetch
  std::optional<fetch_result> outcome;
};

page_pipeline::page_pipeline(std::shared_ptr<page_source> reader, net::any_io_executor executor)
    : reader_(std::move(reader)), executor_(std::move(executor)) {}

page_pipeline::~page_pipeline() {
  if (current_) cancel(*current_);
  for (auto& s : ahead_) cancel(s);
}

void page_pipeline::cancel(slot& s) {
  if (!s.state->outcome) s.state->cancel.emit(net::cancellation_type::terminal);
}

page_pipeline::slot page_pipeline::start(const page_key& key) {
  auto state = std::make_shared<fetch_state>(executor_);
  ++started_;
  // The fetch keeps the reader alive: a cancelled fetch still runs until its pending
  // operation completes with operation_aborted.
  auto fetch = [](std::shared_ptr<page_source> reader, page_key k) -> net::awaitable<fetch_result> {
    co_await net::this_coro::throw_if_cancelled(false);
    co_return co_await reader->fetch(std::move(k));
  };
  net::co_spawn(executor_, fetch(reader_, key),
                net::bind_cancellation_slot(state->cancel.slot(), [state](std::exception_ptr error, fetch_result r) {
                  if (error)
                    state->outcome = fetch_result(jira_failure{failure_kind::cancelled, 0, {}, "fetch abandoned"});
                  else
                    state->outcome = std::move(r);
                  state->wake.cancel();
                }));
  return slot{key, std::move(state)};
}

void page_pipeline::want_ahead(std::optional<page_key> first, std::size_t pages) {
  const std::size_t room = reader_->pages_in_flight() - 1;  // pages_in_flight() >= 1
  std::vector<page_key> wanted;
  for (auto k = std::move(first); k && wanted.size() < std::min(pages, room); k = reader_->predicted_next(*k))
    if (!current_ || current_->key != *k) wanted.push_back(*k);
  std::vector<slot> kept;
  kept.reserve(wanted.size());
  for (const auto& k : wanted) {
    auto found = std::find_if(ahead_.begin(), ahead_.end(), [&](const slot& s) { return s.key == k; });
    if (found != ahead_.end()) {
      kept.push_back(std::move(*found));
      ahead_.erase(found);
    } else {
      kept.push_back(start(k));
    }
  }
  for (auto& s : ahead_) cancel(s);  // no longer wanted
  ahead_ = std::move(kept);
  note_in_flight();
}

void page_pipeline::note_in_flight() {
  std::size_t in_flight = 0;
  for (const auto& s : ahead_) in_flight += !s.state->outcome;
  if (current_ && !current_->state->outcome) ++in_flight;
  most_in_flight_ = std::max(most_in_flight_, in_flight);
}

void page_pipeline::prefetch(const page_key& first, std::size_t pages) { want_ahead(first, pages); }

net::awaitable<fetch_result> page_pipeline::take(const page_key& key, std::size_t pages_after) {
  if (!current_ || current_->key != key) {
    if (current_) cancel(*current_);
    current_.reset();
    auto found = std::find_if(ahead_.begin(), ahead_.end(), [&](const slot& s) { return s.key == key; });
    if (found != ahead_.end()) {
      current_ = std::move(*found);
      ahead_.erase(found);
    } else {
      current_ = start(key);
    }
  }
  if (pages_after > 0)
    want_ahead(reader_->predicted_next(key), pages_after);
  else
    note_in_flight();
  auto state = current_->state;
  current_.reset();
  while (!state->outcome) {
    state->wake.expires_at(net::steady_timer::time_point::max());
    co_await state->wake.async_wait(net::as_tuple(net::use_awaitable));
    if (state->outcome) break;
    // Woken without an outcome: this coroutine itself is being cancelled.
    if ((co_await net::this_coro::cancellation_state).cancelled() != net::cancellation_type::none) {
      state->cancel.emit(net::cancellation_type::terminal);
      co_return jira_failure{failure_kind::cancelled, 0, {}, "cancelled"};
    }
  }
  co_return std::move(*state->outcome);
}

}  // namespace jtgw::jira
