#include "gateway/jira/list_completion.hpp"

#include <functional>
#include <optional>
#include <vector>

#include <boost/asio/this_coro.hpp>

#include "gateway/jira/page_plan.hpp"
#include "gateway/jira/run_workers.hpp"

namespace jtgw::jira {

namespace json = boost::json;
using boost::system::result;

struct list_completion::batch {
  json::array& items;
  std::vector<std::size_t> todo;       // indexes into items whose lists are truncated
  std::size_t next = 0;                // the next todo entry a worker takes
  std::optional<jira_failure> failure; // the first failure stops the batch
};

list_completion::list_completion(jira_client& client, const odata::row_expansion& rows, const jira_identity& who,
                                 std::size_t slots)
    : client_(client), rows_(rows), rule_(*rows.complete), who_(who), slots_(slots), workers_(slots) {}

bool list_completion::truncated(const json::value& item) const {
  const json::value* total = rule_.total.find(item);
  if (total == nullptr || !(total->is_int64() || total->is_uint64())) return false;
  const json::value* list = rows_.each.front().find(item);
  const std::size_t embedded = list && list->is_array() ? list->get_array().size() : 0;
  return total->to_number<std::uint64_t>() > embedded;
}

net::awaitable<result<json::array, jira_failure>> list_completion::whole_list(const json::value& item) {
  json::array whole;
  std::optional<page_key> key = page_key{};
  while (key) {
    const auto target = completion_target(rule_, key->start_at, item);
    if (!target) co_return jira_failure{failure_kind::server_error, 200, {}, rule_.endpoint + ": no request target"};
    if (!co_await slots_.acquire()) co_return jira_failure{failure_kind::cancelled, 0, {}, "cancelled"};
    ++requests_;
    auto body = co_await client_.get_json(*target, who_);
    slots_.release();
    if (!body) co_return body.error();
    auto read = read_envelope(rule_.paging, rule_.items, *key, *body);
    if (!read.problem.empty())
      co_return jira_failure{failure_kind::server_error, 200, {}, rule_.endpoint + ": " + read.problem};
    if (whole.size() + read.value.items->size() > max_completed_list)
      co_return jira_failure{failure_kind::server_error, 200, {}, rule_.endpoint + ": a list longer than jtgw reads"};
    // The envelope points into `body`, which is ours to take apart.
    for (auto& element : const_cast<json::array&>(*read.value.items)) whole.push_back(std::move(element));
    key = read.value.next;
  }
  co_return whole;
}

net::awaitable<void> list_completion::worker(std::shared_ptr<batch> work) {
  // Errors are values here: a cancellation shows as the fetch's failure, not a throw.
  co_await net::this_coro::throw_if_cancelled(false);
  while (!work->failure && work->next < work->todo.size()) {
    json::value& item = work->items[work->todo[work->next++]];
    auto whole = co_await whole_list(item);
    if (!whole) {
      const auto& f = whole.error();
      if (f.kind == failure_kind::client_error && f.status == 404) continue;  // gone: keep what was embedded
      if (!work->failure) work->failure = f;
      break;
    }
    if (json::value* list = rows_.each.front().find(item)) *list = std::move(*whole);
  }
}

net::awaitable<result<void, jira_failure>> list_completion::complete(json::array& items, std::size_t first) {
  auto work = std::make_shared<batch>(batch{items, {}, 0, std::nullopt});
  for (std::size_t i = first; i < items.size(); ++i)
    if (truncated(items[i])) work->todo.push_back(i);
  if (work->todo.empty()) co_return result<void, jira_failure>{};

  // Named, not a temporary in the co_await (g++ 12 destroys those twice).
  const std::function<net::awaitable<void>()> make = [&] { return worker(work); };
  const bool finished = co_await run_workers(std::min(workers_, work->todo.size()), make);
  if (!finished && !work->failure) work->failure = jira_failure{failure_kind::cancelled, 0, {}, "cancelled"};
  if (work->failure) co_return *work->failure;
  co_return result<void, jira_failure>{};
}

}  // namespace jtgw::jira
