#pragma once
// The Worklogs table read from Jira Cloud's worklog feed instead of a walk of every
// issue, for a $filter bounding the worklog's updated time from below (the catalog's
// source "worklog_feed"): each page is one feed batch (worklog_feed_read.hpp): the ids
// from GET /worklog/updated, the worklogs from POST /worklog/list, then their issues
// from `id in (…)` searches of ≤ 100 ids — each worklog becomes an item shaped like the
// search's (its issue holding it as its complete list), so rows come out of the same
// extraction as on the search path, and the OData side filters them exactly.
//
// A page's key carries the feed cursor it starts after (feed_cursor_text; "" = the
// range's start) in next_page_token, so a $skiptoken resumes the feed where the last
// response's page began. Worklogs Jira no longer lists (deleted, or hidden from the user)
// and worklogs of issues the search does not return are left out, as on the search path.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/jira/id_listing.hpp"
#include "gateway/jira/page_source.hpp"
#include "gateway/odata/catalog.hpp"
#include "gateway/odata/filter.hpp"

namespace jtgw::jira {

/// The updated-time range a feed read covers (UTC ms, inclusive).
struct feed_range {
  std::int64_t lower = 0;
  std::int64_t upper = 0;
};

/// The range to read from the feed for `f` on `source`: nullopt unless the source has a
/// worklog_feed rule and `f` bounds its column from below.
std::optional<feed_range> worklog_feed_range(const odata::table_source& source, const odata::row_filter& f);

class worklog_feed_reader final : public page_source {
 public:
  /// `t` is a table whose Cloud source has a worklog_feed rule; it and `client` must
  /// outlive the reader and every fetch (pass `owner` when a shared catalog holds `t`).
  /// `batch`: feed entries per page (1 … worklog_list_max_ids). `search_slots`: issue
  /// searches (of ≤ 100 ids each) one page runs at once (at least 1).
  worklog_feed_reader(jira_client& client, const odata::table& t, jira_identity who, feed_range range,
                      std::size_t batch, std::size_t search_slots,
                      std::shared_ptr<const odata::catalog> owner = nullptr);

  /// The batch after the cursor in key.next_page_token. Its issues come from
  /// search_by_ids (id_listing_reader.hpp): an issue Jira no longer shows is dropped with
  /// its worklogs. Errors: Jira's failures as jira_client gives them; bad_json for a
  /// malformed feed or list answer; server_error for a token that is not a feed cursor,
  /// and search_by_ids' own.
  net::awaitable<boost::system::result<page_ptr, jira_failure>> fetch(page_key key) override;

  /// Requests sent so far, by kind (tests and benchmarks).
  std::size_t feed_requests() const noexcept { return feed_requests_; }
  std::size_t list_requests() const noexcept { return list_requests_; }
  std::size_t search_requests() const noexcept { return search_requests_; }

 private:
  std::shared_ptr<const odata::catalog> owner_;  // first: outlives the references below
  jira_client& client_;
  const odata::table_source& source_;
  jira_identity who_;
  feed_range range_;
  std::size_t batch_;
  std::size_t search_slots_;
  listing_plan plan_;  // the issue searches: by id, the listed columns' fields only
  std::size_t feed_requests_ = 0, list_requests_ = 0, search_requests_ = 0;
};

}  // namespace jtgw::jira
