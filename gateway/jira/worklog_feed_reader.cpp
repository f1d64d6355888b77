#include "gateway/jira/worklog_feed_reader.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <span>
#include <unordered_map>

#include <boost/asio/this_coro.hpp>

#include "gateway/jira/id_listing_reader.hpp"
#include "gateway/jira/run_workers.hpp"
#include "gateway/jira/table_reader.hpp"
#include "gateway/jira/worklog_feed_items.hpp"
#include "gateway/jira/worklog_feed_read.hpp"

namespace jtgw::jira {

namespace json = boost::json;
using boost::system::result;

namespace {

jira_failure server_failure(std::string message) {
  return jira_failure{failure_kind::server_error, 200, {}, std::move(message)};
}

}  // namespace

std::optional<feed_range> worklog_feed_range(const odata::table_source& source, const odata::row_filter& f) {
  if (!source.worklog_feed) return std::nullopt;
  for (const auto& r : f.ranges)
    if (r.column == source.worklog_feed->column_index && r.has_lower()) return feed_range{r.lower, r.upper};
  return std::nullopt;
}

worklog_feed_reader::worklog_feed_reader(jira_client& client, const odata::table& t, jira_identity who,
                                         feed_range range, std::size_t batch, std::size_t search_slots,
                                         std::shared_ptr<const odata::catalog> owner)
    : owner_(std::move(owner)),
      client_(client),
      source_(t.source[std::size_t(odata::flavor::cloud)]),
      who_(std::move(who)),
      range_(range),
      batch_(std::clamp<std::size_t>(batch, 1, worklog_list_max_ids)),
      search_slots_(std::max<std::size_t>(search_slots, 1)),
      plan_(source_, search_fields(t, odata::flavor::cloud, false), {}) {}

net::awaitable<result<page_ptr, jira_failure>> worklog_feed_reader::fetch(page_key key) {
  const auto cursor =
      key.next_page_token.empty() ? feed_cursor::before(range_.lower) : parse_feed_cursor_text(key.next_page_token);
  if (!cursor) co_return server_failure("not a worklog feed position: " + key.next_page_token);
  auto batch = co_await read_feed_batch(client_, who_, *cursor, range_.upper, batch_);
  if (!batch) co_return batch.error();
  feed_requests_ += batch->feed_requests;
  list_requests_ += batch->list_requests;

  // The worklogs' issues, as the table's search shows them to this user: searches of
  // ≤ 100 ids, search_slots_ of them at once, each into its own array.
  const auto ids = issue_ids_of(batch->worklogs);
  const std::size_t searches = (ids.size() + issue_ids_per_search - 1) / issue_ids_per_search;
  std::vector<json::array> found(searches);
  std::size_t next = 0;
  std::optional<jira_failure> failure;
  const std::function<net::awaitable<void>()> searcher = [&]() -> net::awaitable<void> {
    co_await net::this_coro::throw_if_cancelled(false);
    while (!failure && next < searches) {
      const std::size_t i = next++;
      const std::span<const std::int64_t> some(ids.data() + i * issue_ids_per_search,
                                               std::min(issue_ids_per_search, ids.size() - i * issue_ids_per_search));
      std::vector<std::size_t> placed;
      auto searched = co_await search_by_ids(client_, plan_, some, who_, found[i], placed, search_requests_);
      if (!searched && !failure) failure = searched.error();
    }
  };
  if (searches > 0 && !co_await run_workers(std::min(search_slots_, searches), searcher) && !failure)
    failure = jira_failure{failure_kind::cancelled, 0, {}, "cancelled"};
  if (failure) co_return *failure;
  std::unordered_map<std::int64_t, json::value> issues;
  for (auto& part : found)
    for (auto& issue : part)
      if (const auto id = item_id(issue)) issues.emplace(*id, std::move(issue));

  auto page = std::make_shared<jira_page>();
  page->key = key;
  const auto& rows = *source_.rows;
  const odata::json_pointer* total = rows.complete ? &rows.complete->total : nullptr;
  page->body = items_for_worklogs(std::move(batch->worklogs), issues, rows.each.front(), total);
  page->items = &page->body.get_array();
  if (!batch->done) page->next = page_key{0, 0, feed_cursor_text(batch->next), 0};
  co_return page;
}

}  // namespace jtgw::jira
