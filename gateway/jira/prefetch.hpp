#pragma once
// Prefetch: while page k streams to the client, the pages after it are already being
// fetched.
//
// The window holds `current` (the page the caller awaits next) and the pages fetched
// ahead of it, at most the reader's pages_in_flight() in all: two for most tables (the
// page and the next), more for Cloud's two-tier searches, whose detail pages are all
// known from the id listing. Pages ahead are the ones the caller wants (its rows still to
// send) as far as they can be predicted: when a page's successor is known before it
// arrives (offset paging: startAt + page size; a listing's next ids), it is fetched
// together with it; otherwise it starts the moment its key arrives, before the caller
// streams the page. So memory holds at most the page being streamed and the window,
// whatever the table's size. A fetch that turns out not to be needed is cancelled.
//
// All members run on the caller's executor (the session's strand): fetches are spawned
// there, so their results need no locking.
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include <boost/system/result.hpp>

#include "gateway/http/net.hpp"
#include "gateway/jira/page_source.hpp"
#include "gateway/jira/table_reader.hpp"

namespace jtgw::jira {

class page_pipeline {
 public:
  page_pipeline(std::shared_ptr<page_source> reader, net::any_io_executor executor);
  ~page_pipeline();  // cancels fetches still in flight
  page_pipeline(const page_pipeline&) = delete;
  page_pipeline& operator=(const page_pipeline&) = delete;

  /// Wants `pages` pages fetched ahead, starting at `first` and going on with the
  /// reader's predicted_next of each (as far as it predicts), at most
  /// pages_in_flight() - 1 of them: those not in flight yet start; fetches ahead that
  /// are not among them any more are cancelled. `pages` = 0 cancels every fetch ahead.
  void prefetch(const page_key& first, std::size_t pages = 1);

  /// The page at `key`: taken from the window when it is there (started earlier),
  /// otherwise fetched now (and the page awaited before is cancelled). Then, before
  /// this page is awaited, `pages_after` pages after it are wanted ahead as prefetch
  /// says (from the reader's prediction of the page after `key`); 0 leaves the fetches
  /// ahead as they are.
  /// Errors: the table_reader's; failure_kind::cancelled when the caller is cancelled.
  net::awaitable<boost::system::result<page_ptr, jira_failure>> take(const page_key& key, std::size_t pages_after);

  /// Fetches started so far (tests: was a page fetched ahead, and only once?).
  std::size_t fetches_started() const noexcept { return started_; }
  /// The most fetches this pipeline had in flight at once (tests and benchmarks).
  std::size_t most_in_flight() const noexcept { return most_in_flight_; }

 private:
  struct fetch_state;
  struct slot {
    page_key key;
    std::shared_ptr<fetch_state> state;
  };
  slot start(const page_key& key);
  static void cancel(slot& s);
  void want_ahead(std::optional<page_key> first, std::size_t pages);
  void note_in_flight();

  std::shared_ptr<page_source> reader_;
  net::any_io_executor executor_;
  std::optional<slot> current_;
  std::vector<slot> ahead_;  // in page order
  std::size_t started_ = 0;
  std::size_t most_in_flight_ = 0;
};

}  // namespace jtgw::jira
