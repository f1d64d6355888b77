#include "gateway/jira/run_workers.hpp"

#include <algorithm>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace jtgw::jira {

net::awaitable<bool> run_workers(std::size_t workers, const std::function<net::awaitable<void>()>& worker) {
  const auto executor = co_await net::this_coro::executor;
  using spawned = decltype(net::co_spawn(executor, worker(), net::deferred));
  std::vector<spawned> running;
  for (std::size_t i = 0; i < std::max<std::size_t>(workers, 1); ++i)
    running.push_back(net::co_spawn(executor, worker(), net::deferred));
  auto group = net::experimental::make_parallel_group(std::move(running));
  auto all_done = group.async_wait(net::experimental::wait_for_all(), net::use_awaitable);
  auto [order, exceptions] = co_await std::move(all_done);
  (void)order;
  const bool thrown = std::any_of(exceptions.begin(), exceptions.end(), [](const auto& e) { return bool(e); });
  co_return !thrown && (co_await net::this_coro::cancellation_state).cancelled() == net::cancellation_type::none;
}

}  // namespace jtgw::jira
