#pragma once
// Reads one catalog table from Jira page by page: the table's endpoint and paging style
// for the configured flavor, and for per-parent tables (Versions and Components per
// project, Sprints per board) the parent listing first, then each parent's listing.
// Cloud's issue searches (search_jql) are read in two tiers, an id listing and detail
// pages by id (id_listing.hpp), so that several pages can be in flight at once.
// A page is fetched by its key; table_reader never holds more than the page asked for
// (the parent rows of a per-parent table and a search's id listing pages excepted).
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include "gateway/http/net.hpp"
#include "gateway/jira/id_listing_reader.hpp"
#include "gateway/jira/jira_client.hpp"
#include "gateway/jira/list_completion.hpp"
#include "gateway/jira/page_plan.hpp"
#include "gateway/jira/page_source.hpp"
#include "gateway/odata/catalog.hpp"

namespace jtgw::jira {

/// One Jira page of a table, with the rows it holds and where the table continues.
struct jira_page {
  page_key key;                                   // where it was fetched from
  // Every node of `body` lives in this arena, released at once with the page: no
  // allocation per node, no walk over the nodes to free them.
  boost::json::monotonic_resource arena;
  boost::json::value body = boost::json::value(boost::json::storage_ptr(&arena));  // Jira's response
  const boost::json::array* items = nullptr;      // the rows (inside body, or an empty array)
  const boost::json::value* parent = nullptr;     // per-parent tables: the parent row
  std::optional<page_key> next;                   // the table's next page; nullopt: last page
  /// Two-tier searches: each item's index in its id listing page (items of issues that
  /// vanished since the listing leave gaps, so an item's index in `items` is not its
  /// place in the listing). Empty for other tables.
  std::vector<std::int64_t> listed_at;
};

/// The most parent rows a per-parent table walks (projects or boards a user sees).
inline constexpr std::size_t max_parent_rows = 100'000;

/// Per-item requests completing truncated lists, in flight per export, unless configured.
inline constexpr std::size_t default_completion_slots = 4;

/// Detail searches of a two-tier Cloud search in flight per export, unless configured.
inline constexpr std::size_t default_search_slots = 4;

class table_reader final : public page_source {
 public:
  /// `cat`, `t` and `client` must outlive the reader and every fetch it started. When
  /// `cat` is owned by a shared_ptr (a per-user catalog with custom-field columns), pass
  /// it as `owner`: the reader then keeps it alive itself. `narrowing`: JQL ANDed to the
  /// table's search (jql_narrowing.hpp), "" for none. `completion_slots`: tables with
  /// rows.complete keep at most this many per-item requests in flight across all
  /// fetches of this reader (at least 1). `search_slots`: two-tier searches allow this
  /// many pages in flight at once (pages_in_flight; at least 1).
  table_reader(jira_client& client, const odata::catalog& cat, const odata::table& t, odata::flavor f,
               jira_identity who, std::shared_ptr<const odata::catalog> owner = nullptr, std::string narrowing = {},
               std::size_t completion_slots = default_completion_slots,
               std::size_t search_slots = default_search_slots);

  /// Per-parent tables: reads the parent table's whole listing (every page, as this
  /// identity sees it) and keeps the rows that pass the catalog's only_if. Two-tier
  /// searches: reads the id listing page `start` is on. Other tables: nothing to do.
  /// Errors: the jira_client's; server_error for a malformed envelope or more than
  /// max_parent_rows parents.
  /// (`start` is a reference without a default: g++ 12 frees a temporary in a co_await twice.)
  net::awaitable<boost::system::result<void, jira_failure>> open(const page_key& start);

  /// The page at `key`. For per-parent tables a 400 or 404 on a parent's listing is an
  /// empty listing (Jira answers 400 for a board without sprints, 404 for a parent that
  /// went away since open()). Tables with rows.complete: the lists Jira truncated in
  /// items from key.first_item on are complete when the page is returned
  /// (list_completion.hpp). Errors: the jira_client's, and server_error for a body that
  /// is not the style's envelope.
  net::awaitable<boost::system::result<page_ptr, jira_failure>> fetch(page_key key) override;

  /// The key after `key` when it is known before `key`'s page arrives (see
  /// page_plan.hpp predicted_next); for per-parent tables, the next parent's first page;
  /// for two-tier searches, the next run of listed ids (when that listing page is read).
  std::optional<page_key> predicted_next(const page_key& key) const override;

  /// Two-tier searches: share id listing pages with the other responses of `scope` (the
  /// user) through `cache` (listing_cache.hpp), which must outlive the reader. Call before
  /// open(). Other tables: nothing to do.
  void share_listings(listing_cache& cache, std::string scope) {
    if (listing_) listing_->share(cache, std::move(scope));
  }

  /// How many pages of this table page_pipeline may fetch at once: the page awaited and
  /// the one after it, or for two-tier searches `search_slots`.
  std::size_t pages_in_flight() const noexcept override { return listing_ ? search_slots_ : 2; }

  const odata::table& table() const noexcept { return table_; }
  odata::flavor flavor() const noexcept { return flavor_; }
  std::size_t parent_count() const noexcept { return parents_.size(); }
  /// Per-item requests sent to complete truncated lists (0 for other tables).
  std::size_t completion_requests() const noexcept { return completion_ ? completion_->requests() : 0; }
  /// Two-tier searches: id listing and detail requests sent (0 for other tables).
  std::size_t listing_requests() const noexcept { return listing_ ? listing_->listing_requests() : 0; }
  std::size_t detail_requests() const noexcept { return listing_ ? listing_->detail_requests() : 0; }

 private:
  std::optional<page_key> after_listing(const page_key& key) const;
  // Completes the truncated lists of the page's items (tables with rows.complete).
  net::awaitable<boost::system::result<page_ptr, jira_failure>> completed(const std::shared_ptr<jira_page>& page);

  std::shared_ptr<const odata::catalog> owner_;  // first: outlives the references below
  jira_client& client_;
  const odata::catalog& catalog_;
  const odata::table& table_;
  odata::flavor flavor_;
  const odata::table_source& source_;
  jira_identity who_;
  std::vector<std::string> fields_;
  std::string narrowing_;
  std::vector<boost::json::value> parents_;
  std::optional<list_completion> completion_;
  std::size_t search_slots_;
  std::optional<id_listing_reader> listing_;  // two-tier searches only
};

}  // namespace jtgw::jira
