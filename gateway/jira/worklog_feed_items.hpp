#pragma once
// Turns the worklogs the Cloud feed returned (worklog_feed_read.hpp) into the listed items
// the Worklogs table's rows come from, so the feed path and the per-issue path share one
// row extraction: each worklog becomes its issue (found with a search by id) holding that
// one worklog as its complete list. And the feed cursor as the text a $skiptoken carries.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "gateway/jira/worklog_feed.hpp"
#include "gateway/odata/json_pointer.hpp"

namespace jtgw::jira {

/// Ids per issue search resolving the worklogs' issues (Cloud's search/jql returns at
/// most 100 issues with fields per page, so one batch is one request).
inline constexpr std::size_t issue_ids_per_search = 100;

/// The distinct issue ids ("issueId", a string or number) of `worklogs`, ascending.
/// Worklogs without a readable issueId are skipped (they cannot be placed in an issue).
std::vector<std::int64_t> issue_ids_of(const boost::json::array& worklogs);

/// "id in (1, 2, 3)" for a search of exactly those issues (ids is not empty).
std::string issue_ids_jql(std::span<const std::int64_t> ids);

/// One item per worklog, in the worklogs' order: a copy of its issue (issues_by_id, keyed
/// by the issue's id) holding the worklog as the only element of the array at `list`,
/// and 1 at `total` when given (objects on the way are created). A worklog whose issue is
/// absent (no longer visible) is left out: the per-issue path would not list it either.
boost::json::array items_for_worklogs(boost::json::array worklogs,
                                      const std::unordered_map<std::int64_t, boost::json::value>& issues_by_id,
                                      const odata::json_pointer& list, const odata::json_pointer* total);

/// The issue's id of a search result item ("id", a string), if readable.
std::optional<std::int64_t> item_id(const boost::json::value& issue);

/// A feed cursor as text ("feed:<updated>:<worklog id>") and back; nullopt for any other
/// text. A $skiptoken's page token carries it (the token's MAC keeps it unaltered).
std::string feed_cursor_text(const feed_cursor& c);
std::optional<feed_cursor> parse_feed_cursor_text(std::string_view text);

}  // namespace jtgw::jira
