#include "gateway/jira/worklog_feed_read.hpp"

#include <algorithm>
#include <limits>
#include <span>

namespace jtgw::jira {

namespace json = boost::json;
using boost::system::result;

namespace {

jira_failure malformed(std::string message) { return {failure_kind::bad_json, 200, {}, std::move(message)}; }

}  // namespace

net::awaitable<result<feed_batch, jira_failure>> read_feed_batch(jira_client& client, const jira_identity& who,
                                                                 feed_cursor cursor, std::int64_t upper,
                                                                 std::size_t want) {
  want = std::max<std::size_t>(want, 1);
  feed_batch out;
  out.next = cursor;
  std::vector<feed_entry> taken;
  std::int64_t since = cursor.since();
  while (!out.done && taken.size() < want && out.feed_requests < max_feed_pages_per_batch) {
    auto got = co_await client.get_json(worklog_feed_target(since), who);
    ++out.feed_requests;
    if (!got) co_return got.error();
    auto page = parse_feed_page(*got);
    if (!page) co_return malformed(page.error());
    auto step = step_feed(*page, out.next, upper);
    // Entries of this page beyond `want` stay for the next batch: the cursor stops at the
    // last one taken, so the next batch asks the feed again from there.
    const std::size_t room = want - taken.size();
    const bool cut = step.take.size() > room;
    if (cut) {
      step.take.resize(room);
      step.done = false;
    }
    if (!step.take.empty()) out.next = feed_cursor::at(step.take.back());
    taken.insert(taken.end(), step.take.begin(), step.take.end());
    out.done = step.done;
    if (cut || out.done) break;
    // Every entry of this page is consumed: the next page starts where Jira says (never
    // behind the cursor, whatever a broken upstream sends).
    const feed_cursor page_end{page->next_since, std::numeric_limits<std::int64_t>::max()};
    if (page_end.updated >= out.next.updated) out.next = page_end;
    since = out.next.since();
  }
  for (std::size_t first = 0; first < taken.size(); first += worklog_list_max_ids) {
    const std::span<const feed_entry> ids(taken.data() + first, std::min(worklog_list_max_ids, taken.size() - first));
    auto listed = co_await client.post_json(worklog_list_target, worklog_list_body(ids), who);
    ++out.list_requests;
    if (!listed) co_return listed.error();
    auto ordered = order_like_feed(std::move(*listed), ids);
    if (!ordered) co_return malformed(ordered.error());
    for (auto& w : *ordered) out.worklogs.push_back(std::move(w));
  }
  co_return out;
}

}  // namespace jtgw::jira
