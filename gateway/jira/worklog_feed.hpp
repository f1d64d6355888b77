#pragma once
// The pure half of Jira Cloud's worklog feed, which reads the worklogs updated in a time
// range without walking every issue:
//
//   GET  /rest/api/3/worklog/updated?since=MS  -> {values:[{worklogId, updatedTime}], since,
//        until, self, nextPage?, lastPage}: worklogs updated strictly after `since`, oldest
//        first, 1000 per page; nextPage is the same request with since=until.
//   POST /rest/api/3/worklog/list {"ids":[…]}  -> the visible worklogs among ≤ 1000 ids.
//
// Jira documents that the feed leaves out changes of about the last minute (it is fed
// asynchronously), so a range ending at "now" may miss the newest worklogs; an
// incremental refresh whose next lower bound is the largest Updated it received picks
// them up next time. Ties in updatedTime are ordered by worklog id here so a read can
// resume exactly after any entry (feed_cursor).
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

namespace jtgw::jira {

inline constexpr std::size_t worklog_list_max_ids = 1000;  // Jira's limit for POST /worklog/list
inline constexpr std::size_t worklog_feed_max_entries = 5000;  // a page larger than this is refused

struct feed_entry {
  std::int64_t worklog_id = 0;
  std::int64_t updated = 0;  // updatedTime, UTC milliseconds
  friend bool operator==(const feed_entry&, const feed_entry&) = default;
};

/// One parsed page of /worklog/updated. `next_since` is where the next page starts (the
/// `since` of nextPage, else `until`); meaningless when `last_page`.
struct feed_page {
  std::vector<feed_entry> entries;  // in the order Jira listed them
  std::int64_t since = 0;
  std::int64_t until = 0;
  std::int64_t next_since = 0;
  bool last_page = true;
};

/// The last entry a read delivered: a read resumes with the entries after it in
/// (updated, worklog_id) order. The initial cursor of a range starting at `lower`
/// (inclusive, ms) is before every entry updated at `lower` or later.
struct feed_cursor {
  std::int64_t updated = std::numeric_limits<std::int64_t>::min();
  std::int64_t worklog_id = std::numeric_limits<std::int64_t>::max();

  static feed_cursor before(std::int64_t lower) noexcept {
    return {lower == std::numeric_limits<std::int64_t>::min() ? lower : lower - 1,
            std::numeric_limits<std::int64_t>::max()};
  }
  /// The cursor just after `e`.
  static feed_cursor at(const feed_entry& e) noexcept { return {e.updated, e.worklog_id}; }
  /// True when `e` comes after this cursor.
  bool precedes(const feed_entry& e) const noexcept {
    return e.updated > updated || (e.updated == updated && e.worklog_id > worklog_id);
  }
  /// The `since` to ask the feed for so that no entry after the cursor is left out
  /// (since is exclusive; entries at the cursor's own time with a larger id still come).
  std::int64_t since() const noexcept;
  friend bool operator==(const feed_cursor&, const feed_cursor&) = default;
};

/// A JSON integer as Jira writes ids and times: a number, or a string of digits ("10001").
std::optional<std::int64_t> json_integer(const boost::json::value* v) noexcept;

/// "/rest/api/3/worklog/updated?since=MS" (since clamped at 0: the feed refuses negatives).
std::string worklog_feed_target(std::int64_t since);
inline constexpr const char* worklog_list_target = "/rest/api/3/worklog/list";

/// Parses a /worklog/updated response. Errors (a message naming what is wrong) when it is
/// not the envelope above, an entry lacks a numeric worklogId/updatedTime, a page that is
/// not the last has no way forward (nextPage's since or until not after `since`), or it
/// lists more than worklog_feed_max_entries.
boost::system::result<feed_page, std::string> parse_feed_page(const boost::json::value& body);

/// What a read takes from one feed page: the entries after `cursor` and at or before
/// `upper` (inclusive, ms), sorted by (updated, worklog_id); `done` when the feed need not
/// be read further (its last page, or an entry past `upper`).
struct feed_step {
  std::vector<feed_entry> take;
  bool done = false;
};
feed_step step_feed(const feed_page& page, const feed_cursor& cursor, std::int64_t upper);

/// The body of POST /worklog/list for `entries` (at most worklog_list_max_ids of them):
/// {"ids":[…]}.
std::string worklog_list_body(std::span<const feed_entry> entries);

/// The worklogs of a /worklog/list response put in the order of `entries` (Jira answers
/// in its own order); ids Jira did not return (deleted, or no longer visible) are left out.
/// Errors when the response is not an array of objects with an id (string or number).
boost::system::result<boost::json::array, std::string> order_like_feed(boost::json::value listed,
                                                                        std::span<const feed_entry> entries);

}  // namespace jtgw::jira
