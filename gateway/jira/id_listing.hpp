#pragma once
// The pure half of reading a Cloud issue search (paging style search_jql) in two tiers.
//
// Cloud's /rest/api/3/search/jql pages by nextPageToken, which arrives only with the
// page before, so pages of issues cannot be fetched ahead of each other. But it returns
// up to 5000 issues per page when only `id` is asked for (100 once fields are). So such
// a table is read as:
//   1. the id listing: the table's own JQL (with $filter's narrowing) and ORDER BY,
//      fields=id, maxResults=5000, one cursor after the other (20 requests for 100,000
//      issues);
//   2. detail pages: each run of at most 100 consecutive listed ids is one search
//      `id in (...)` with the table's fields; their ids are known, so several run at once.
// A detail page's issues are put back in listing order: rows come in the table's ORDER BY.
//
// A page key of such a table names its listing page (next_page_token, "" = the first)
// and the index of the detail page's first id in it (start_at); a $skiptoken carries
// both, so a resumed response refetches only that listing page. No I/O here.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "gateway/jira/page_plan.hpp"
#include "gateway/odata/catalog.hpp"

namespace jtgw::jira {

/// Ids per listing request (Jira Cloud's cap for id-only searches; it may send fewer).
inline constexpr std::int64_t ids_per_listing = 5000;

/// True for sources read in two tiers: search_jql tables without a parent listing.
bool reads_by_id_listing(const odata::table_source& source) noexcept;

/// One page of the id listing.
struct id_listing {
  std::vector<std::int64_t> ids;          // in the table's order
  std::optional<std::string> next_token;  // the next listing page's cursor; nullopt: last
};

/// The requests of one two-tier table, as the catalog, the fields and the narrowing say.
class listing_plan {
 public:
  /// `source` must satisfy reads_by_id_listing. `fields`: the detail searches' fields
  /// (search_fields). `narrowing`: JQL ANDed to the listing's (jql_narrowing.hpp).
  listing_plan(const odata::table_source& source, std::vector<std::string> fields, std::string narrowing);

  /// The listing page after cursor `token` ("" = the first): the table's jql (narrowed),
  /// fields=id, maxResults=ids_per_listing; none of the source's other parameters.
  std::string listing_target(std::string_view token) const;

  /// The detail search for `ids` (1..issue_ids_per_search of them): jql `id in (...)`,
  /// the table's fields and other parameters (expand), maxResults = issue_ids_per_search;
  /// `continuation` is Jira's nextPageToken when it split the answer ("" at first).
  std::string detail_target(std::span<const std::int64_t> ids, std::string_view continuation) const;

  /// Reads a listing response fetched with cursor `token`. Problems (for a 502): not the
  /// search envelope, an issue without a numeric id, more ids than asked for, a cursor
  /// that does not advance.
  struct listing_result {
    id_listing value;
    std::string problem;  // empty on success
  };
  static listing_result read_listing(const boost::json::value& body, std::string_view token);

  /// Reads one detail response fetched with `continuation`: its issues, and Jira's next
  /// continuation when it split the answer over pages (nullopt: complete). Problems as
  /// read_envelope's.
  struct detail_part {
    boost::json::array* issues = nullptr;  // inside the body passed in
    std::optional<std::string> continuation;
  };
  struct detail_result {
    detail_part value;
    std::string problem;  // empty on success
  };
  static detail_result read_detail(boost::json::value& body, std::string_view continuation);

  /// The search endpoint, for messages.
  const std::string& endpoint() const noexcept { return listing_.endpoint; }

 private:
  odata::table_source listing_;
  odata::table_source detail_;
  std::vector<std::string> fields_;
  std::string narrowing_;
};

/// The ids of the detail page at `start` of `listing`: up to issue_ids_per_search of them
/// (none when start is at or past its end: the listing shrank since a token was issued).
std::span<const std::int64_t> detail_ids(const id_listing& listing, std::int64_t start);

/// The key of the detail page after the one at `key` on `listing`: the next run of ids
/// of the same listing page, else the next listing page's first, else nullopt.
std::optional<page_key> detail_after(const id_listing& listing, const page_key& key);

/// Moves the issues of `returned` into `out` in the order of `asked`, and appends to
/// `placed` the index in `asked` of each. An asked id that did not come back (deleted,
/// or no longer visible, since the listing) is left out.
/// Returns "" or a problem (for a 502: the answer is not the one asked for, and placing
/// its rows would risk duplicates or rows outside the listing's JQL): an issue without
/// an id, an id not asked for, an id twice.
std::string in_listing_order(boost::json::array& returned, std::span<const std::int64_t> asked,
                             boost::json::array& out, std::vector<std::size_t>& placed);

/// The ids of `asked` that `jira_text` (Jira's error text for a refused search) names in
/// quotes, as in "An issue with key '10001' does not exist for field 'id'."; each once.
std::vector<std::int64_t> ids_named(std::string_view jira_text, std::span<const std::int64_t> asked);

}  // namespace jtgw::jira
