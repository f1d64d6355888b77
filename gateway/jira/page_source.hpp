#pragma once
// What the prefetch pipeline reads pages from: a table's Jira listing (table_reader) or
// another way to the same rows (worklog_feed_reader, Cloud's worklog feed). A page is
// fetched by its key; the page says which key comes next.
#include <cstddef>
#include <memory>
#include <optional>

#include <boost/system/result.hpp>

#include "gateway/http/net.hpp"
#include "gateway/jira/jira_client.hpp"
#include "gateway/jira/page_plan.hpp"

namespace jtgw::jira {

struct jira_page;  // table_reader.hpp
using page_ptr = std::shared_ptr<const jira_page>;

class page_source {
 public:
  virtual ~page_source() = default;
  /// The page at `key` (its items, and the key of the next page if any), or why not.
  virtual net::awaitable<boost::system::result<page_ptr, jira_failure>> fetch(page_key key) = 0;
  /// The key after `key` when it is known before `key`'s page arrives (so that page can
  /// be fetched together with it); nullopt when only the page itself will tell.
  virtual std::optional<page_key> predicted_next(const page_key&) const { return std::nullopt; }
  /// How many pages page_pipeline may fetch at once (at least 1): by default the page
  /// awaited and the one after it.
  virtual std::size_t pages_in_flight() const noexcept { return 2; }
};

}  // namespace jtgw::jira
