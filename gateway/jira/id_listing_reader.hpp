#pragma once
// The I/O half of the two-tier Cloud search (id_listing.hpp): fetches listing pages and
// detail pages for table_reader. It keeps the listing pages it read last (at most
// `kept_listings`, 5000 ids each: tiny) so that every detail page of a listing page, and
// the prediction of the next detail page, come without another listing request.
// Not thread-safe: table_reader's fetches all run on one strand.
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/system/result.hpp>

#include "gateway/http/net.hpp"
#include "gateway/jira/id_listing.hpp"
#include "gateway/jira/jira_client.hpp"
#include "gateway/jira/listing_cache.hpp"

namespace jtgw::jira {

class id_listing_reader {
 public:
  /// Listing pages kept: the one being read and the one after it.
  static constexpr std::size_t kept_listings = 2;

  /// `client` and `who` must outlive the reader and every call.
  id_listing_reader(jira_client& client, const odata::table_source& source, std::vector<std::string> fields,
                    std::string narrowing, const jira_identity& who);

  /// Listing pages read are also kept in `cache` for `scope` (the user), and open() takes
  /// a page a response resumes inside from there (listing_cache.hpp). `cache` must
  /// outlive the reader.
  void share(listing_cache& cache, std::string scope);

  /// Reads the listing page `start` is on (so the pages after it can be predicted at
  /// once), from the shared cache when `start` resumes inside a page kept there.
  /// Errors: the jira_client's; server_error for a malformed listing.
  net::awaitable<boost::system::result<void, jira_failure>> open(const page_key& start);

  /// The detail page at `key`: its issues (in listing order, into `issues`, whose storage
  /// the responses are parsed into), the listing index of each (`listed_at`) and the key
  /// after it (`next`). A listing page not
  /// kept is read first. Errors: the jira_client's and search_by_ids'; server_error for
  /// a malformed listing.
  net::awaitable<boost::system::result<void, jira_failure>> fetch(const page_key& key, boost::json::array& issues,
                                                                  std::vector<std::int64_t>& listed_at,
                                                                  std::optional<page_key>& next);

  /// The key after `key` when its listing page is kept; nullopt otherwise (then the page
  /// at `key` reads the listing, and what follows it is predicted from there).
  std::optional<page_key> predicted_next(const page_key& key) const;

  /// Requests sent so far (tests and benchmarks).
  std::size_t listing_requests() const noexcept { return listing_requests_; }
  std::size_t detail_requests() const noexcept { return detail_requests_; }

 private:
  using listing_ptr = std::shared_ptr<const id_listing>;
  listing_ptr kept(const std::string& token) const;
  void keep(const std::string& token, listing_ptr listing);
  net::awaitable<boost::system::result<listing_ptr, jira_failure>> listing(const std::string& token);

  jira_client& client_;
  listing_plan plan_;
  const jira_identity& who_;
  std::deque<std::pair<std::string, listing_ptr>> listings_;  // newest last
  listing_cache* shared_ = nullptr;
  std::string scope_;
  std::size_t listing_requests_ = 0;
  std::size_t detail_requests_ = 0;
};

/// One detail search: the issues of `ids` (1..issue_ids_per_search) with `plan`'s fields,
/// every page of Jira's answer, moved into `issues` (parsed into its storage) in the order
/// of `ids`, with each one's index in `ids` appended to `placed`; `requests` counts the
/// requests sent. An id Jira no longer has for this user (it answers 400 naming it, as
/// it does for an issue deleted or hidden since the listing) is dropped and the rest
/// searched again: no row, no error. Errors: the jira_client's (a 400 naming none of the
/// ids included); server_error for a response that is not the search envelope, an issue
/// not asked for or twice (in_listing_order), or an answer that does not end.
net::awaitable<boost::system::result<void, jira_failure>> search_by_ids(
    jira_client& client, const listing_plan& plan, std::span<const std::int64_t> ids, const jira_identity& who,
    boost::json::array& issues, std::vector<std::size_t>& placed, std::size_t& requests);

}  // namespace jtgw::jira
