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
#include <string>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/system/result.hpp>

#include "gateway/http/net.hpp"
#include "gateway/jira/id_listing.hpp"
#include "gateway/jira/jira_client.hpp"

namespace jtgw::jira {

class id_listing_reader {
 public:
  /// Listing pages kept: the one being read and the one after it.
  static constexpr std::size_t kept_listings = 2;

  /// `client` and `who` must outlive the reader and every call.
  id_listing_reader(jira_client& client, const odata::table_source& source, std::vector<std::string> fields,
                    std::string narrowing, const jira_identity& who);

  /// Reads the listing page `start` is on (so the pages after it can be predicted at
  /// once). Errors: the jira_client's; server_error for a malformed listing.
  net::awaitable<boost::system::result<void, jira_failure>> open(const page_key& start);

  /// The detail page at `key`: its issues (in listing order, into `issues`, whose storage
  /// the responses are parsed into), the listing index of each (`listed_at`) and the key
  /// after it (`next`). A listing page not
  /// kept is read first. Errors: the jira_client's; server_error for a malformed listing
  /// or detail response (in_listing_order's problems included), or a detail answer Jira
  /// splits into more pages than it has issues.
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
  net::awaitable<boost::system::result<listing_ptr, jira_failure>> listing(const std::string& token);

  jira_client& client_;
  listing_plan plan_;
  const std::string& endpoint_;
  const jira_identity& who_;
  std::deque<std::pair<std::string, listing_ptr>> listings_;  // newest last
  std::size_t listing_requests_ = 0;
  std::size_t detail_requests_ = 0;
};

}  // namespace jtgw::jira
