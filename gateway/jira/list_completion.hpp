#pragma once
// Completing truncated lists: Jira's search embeds only the first 20 worklogs and
// comments of an issue (Cloud: the first 100 histories), with the full count beside
// them. For every listed item of a page whose count (rows.complete.total) exceeds its
// embedded list (rows.each[0]), the whole list is read from the per-item endpoint
// (rows.complete), every page of it, and put in place of the embedded one, so the
// rows of that item are complete. Requests run concurrently, bounded by the slots
// shared by every page of one export.
#include <cstddef>
#include <memory>

#include <boost/json/array.hpp>
#include <boost/system/result.hpp>

#include "gateway/http/net.hpp"
#include "gateway/jira/jira_client.hpp"
#include "gateway/jira/request_slots.hpp"
#include "gateway/odata/catalog.hpp"

namespace jtgw::jira {

/// The most elements jtgw reads into one item's list (a runaway listing is a bad response).
inline constexpr std::size_t max_completed_list = 1'000'000;

class list_completion {
 public:
  /// `client`, `rows` (with a complete rule) and `who` must outlive the object and every
  /// complete() call. `slots` (at least 1) bounds the requests in flight across calls.
  list_completion(jira_client& client, const odata::row_expansion& rows, const jira_identity& who,
                  std::size_t slots);

  /// Completes the truncated lists of items[first…]. A 404 on an item's listing (the
  /// issue went away since the search) keeps its embedded list. Errors: the first
  /// jira_client failure (the others' requests still finish first), server_error for a
  /// response that is not the rule's envelope or a list over max_completed_list.
  /// Cancellable through the awaiting coroutine's slot (then failure_kind::cancelled).
  net::awaitable<boost::system::result<void, jira_failure>> complete(boost::json::array& items, std::size_t first);

  /// Per-item requests sent so far (tests and benchmarks).
  std::size_t requests() const noexcept { return requests_; }

  /// True when Jira truncated the embedded list of `item` (its total exceeds the list).
  bool truncated(const boost::json::value& item) const;

 private:
  struct batch;
  net::awaitable<void> worker(std::shared_ptr<batch> work);
  net::awaitable<boost::system::result<boost::json::array, jira_failure>> whole_list(const boost::json::value& item);

  jira_client& client_;
  const odata::row_expansion& rows_;
  const odata::completion_rule& rule_;
  const jira_identity& who_;
  request_slots slots_;
  std::size_t workers_;
  std::size_t requests_ = 0;
};

}  // namespace jtgw::jira
