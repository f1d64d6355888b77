#pragma once
// Prefetch: while page k streams to the client, page k+1 is already being fetched.
//
// The window holds at most two fetches: `current` (the page the caller awaits next) and
// `ahead` (the one after it). When a page's successor is known before it arrives (offset
// paging: startAt + page size), both are in flight together; otherwise (Cloud's
// nextPageToken) `ahead` starts the moment its key arrives, before the caller streams the
// page. So memory holds at most the page being streamed and one more, whatever the
// table's size. A fetch that turns out not to be needed is cancelled.
//
// All members run on the caller's executor (the session's strand): fetches are spawned
// there, so their results need no locking.
#include <memory>
#include <optional>

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

  /// Starts fetching `key` as the page after the next one, unless it already is; a
  /// different fetch in that place is cancelled.
  void prefetch(const page_key& key);

  /// The page at `key`: taken from the window when it is there (started earlier),
  /// otherwise fetched now (and whatever was in the window is cancelled). When `then`
  /// is given, its fetch starts before this one is awaited.
  /// Errors: the table_reader's; failure_kind::cancelled when the caller is cancelled.
  net::awaitable<boost::system::result<page_ptr, jira_failure>> take(const page_key& key,
                                                                     std::optional<page_key> then);

  /// Fetches started so far (tests: was a page fetched ahead, and only once?).
  std::size_t fetches_started() const noexcept { return started_; }

 private:
  struct fetch_state;
  struct slot {
    page_key key;
    std::shared_ptr<fetch_state> state;
  };
  slot start(const page_key& key);
  static void cancel(slot& s);

  std::shared_ptr<page_source> reader_;
  net::any_io_executor executor_;
  std::optional<slot> current_;
  std::optional<slot> ahead_;
  std::size_t started_ = 0;
};

}  // namespace jtgw::jira
