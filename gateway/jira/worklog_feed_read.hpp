#pragma once
// Reads Jira Cloud's worklog feed (worklog_feed.hpp) through jira_client: the worklogs
// updated after a cursor and up to an upper bound, a batch at a time, each batch fetched
// by id with POST /worklog/list in requests of ≤ 1000 ids.
#include <cstddef>
#include <cstdint>

#include <boost/json/array.hpp>
#include <boost/system/result.hpp>

#include "gateway/jira/jira_client.hpp"
#include "gateway/jira/worklog_feed.hpp"

namespace jtgw::jira {

struct feed_batch {
  boost::json::array worklogs;  // Jira's worklog objects in (updated, id) feed order
  feed_cursor next;             // the last feed entry this batch consumed
  bool done = false;            // nothing after `next` is at or before the upper bound
  std::size_t feed_requests = 0;
  std::size_t list_requests = 0;
};

inline constexpr std::size_t max_feed_pages_per_batch = 64;  // bounds one batch's wait

/// Reads the feed from `cursor.since()` and takes the entries after `cursor` up to
/// `upper` (inclusive, ms), stopping once it holds `want` entries (1 ≤ want; more than
/// worklog_list_max_ids cost one list request per 1000), the feed ends or passes `upper`,
/// or max_feed_pages_per_batch pages were read; then fetches those worklogs by id.
/// Worklogs deleted or hidden since the feed listed them are absent from `worklogs` but
/// still consumed. A malformed feed or list answer is a bad_json failure; Jira's failures
/// as jira_client says.
net::awaitable<boost::system::result<feed_batch, jira_failure>> read_feed_batch(jira_client& client,
                                                                                const jira_identity& who,
                                                                                feed_cursor cursor,
                                                                                std::int64_t upper,
                                                                                std::size_t want);

}  // namespace jtgw::jira
