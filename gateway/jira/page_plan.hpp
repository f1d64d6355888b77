#pragma once
// The pure half of Jira paging: which request fetches a table's page at a position, and
// what a response says about the rows it holds and where the next page starts, for each
// paging style of the catalog (connector-manifest/README.md, "Paging styles"). No I/O
// here, so every envelope rule is testable without a server.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "gateway/odata/catalog.hpp"

namespace jtgw::jira {

/// Where one Jira page starts. Which members matter depends on the paging style:
/// offset styles use start_at; search_jql uses next_page_token ("" = first page);
/// per-parent tables also say which parent row's listing is walked.
struct page_key {
  std::uint32_t parent_index = 0;
  std::int64_t start_at = 0;
  std::string next_page_token;
  /// Items of the page before this one are not wanted (a response resuming inside a
  /// cursor-paged page): tables with rows.complete do not complete their lists.
  std::uint32_t first_item = 0;
  friend bool operator==(const page_key&, const page_key&) = default;
};

/// The `fields=` list for the search styles: the first token after "/fields/" of every
/// path of `t` for flavor `f` that reads the listed issue (row-scoped columns of tables
/// without rows.each; "listed" columns, rows.each[0] and rows.complete.total of tables
/// with it), once each, in column order. A table reading no field asks for "key" (Jira
/// then sends each issue's id and key only, instead of its default fields). Without
/// `with_lists`, a rows.each table asks for its "listed" columns only (a search for the
/// issues of rows read elsewhere, such as the worklog feed's).
std::vector<std::string> search_fields(const odata::table& t, odata::flavor f, bool with_lists = true);

/// The origin-form target of the page starting at `start_at` of the list `rule` completes
/// for the listed item `listed` (its values fill the endpoint's placeholders). nullopt
/// when a placeholder's value is missing.
std::optional<std::string> completion_target(const odata::completion_rule& rule, std::int64_t start_at,
                                             const boost::json::value& listed);

/// The origin-form target (path and query, without Jira's base path) for the page at
/// `key` of `source`. `parent` is the parent row for per-parent tables (its values fill
/// the endpoint's {placeholders}, percent-encoded as path segments), else nullptr.
/// `narrowing` (jql_narrowing.hpp) is ANDed to the source's `jql` (or becomes it).
/// Returns nullopt when a placeholder's value is missing or not a string or number.
std::optional<std::string> page_target(const odata::table_source& source, const std::vector<std::string>& fields,
                                       const page_key& key, const boost::json::value* parent,
                                       std::string_view narrowing = {});

/// What one response says. `items` points into the body passed to read_envelope.
struct envelope {
  const boost::json::array* items = nullptr;
  /// The next page of the same listing; nullopt when this was its last page.
  std::optional<page_key> next;
};

/// Reads a response body per the style of `source`. Errors (the body is not the
/// envelope the style promises, or a search_jql cursor repeats itself) come back as a
/// message naming what is wrong, for a 502 and the log.
struct envelope_result {
  envelope value;
  std::string problem;  // empty on success
};
envelope_result read_envelope(const odata::table_source& source, const page_key& key, const boost::json::value& body);
/// The same for the envelope of `paging` with its rows at `items`.
envelope_result read_envelope(odata::paging_style paging, const odata::json_pointer& items, const page_key& key,
                              const boost::json::value& body);

/// The next page's key when it is known before the response arrives: the offset styles
/// ask for start_at + max_page_size (right when Jira grants full pages, which
/// read_envelope's answer then confirms or not). nullopt for search_jql (Jira's cursor
/// comes with the response), plain arrays (one page per listing) and startat_array (Jira
/// returns short pages there before the end, so a guess would often be wasted).
std::optional<page_key> predicted_next(const odata::table_source& source, const page_key& key);

}  // namespace jtgw::jira
