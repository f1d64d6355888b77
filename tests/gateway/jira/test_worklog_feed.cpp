// The pure half of the Cloud worklog feed: /worklog/updated's envelope, the exclusive
// `since` and the cursor a read resumes from, the bounds of one step, the /worklog/list
// body and putting its answer in feed order.
#include <boost/test/unit_test.hpp>

#include <limits>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "gateway/jira/worklog_feed.hpp"

using namespace jtgw::jira;
namespace json = boost::json;

namespace {

constexpr auto max_id = std::numeric_limits<std::int64_t>::max();

feed_page parsed(std::string_view text) {
  auto page = parse_feed_page(json::parse(text));
  BOOST_REQUIRE_MESSAGE(page, (page ? "" : page.error()));
  return *page;
}

std::string parse_error(std::string_view text) {
  auto page = parse_feed_page(json::parse(text));
  BOOST_REQUIRE(!page);
  return page.error();
}

}  // namespace

BOOST_AUTO_TEST_CASE(envelope_with_next_page) {
  const auto page = parsed(R"({"values":[{"worklogId":10002,"updatedTime":1500,"properties":[]},
      {"worklogId":10001,"updatedTime":1400,"properties":[]}],"since":1000,"until":1500,
      "self":"https://x/rest/api/3/worklog/updated?since=1000",
      "nextPage":"https://x/rest/api/3/worklog/updated?since=1500","lastPage":false})");
  BOOST_TEST(page.entries.size() == 2u);
  BOOST_TEST((page.entries[0] == feed_entry{10002, 1500}));
  BOOST_TEST((page.entries[1] == feed_entry{10001, 1400}));
  BOOST_TEST(page.since == 1000);
  BOOST_TEST(page.until == 1500);
  BOOST_TEST(!page.last_page);
  BOOST_TEST(page.next_since == 1500);
}

BOOST_AUTO_TEST_CASE(next_page_since_wins_over_until_and_until_is_the_fallback) {
  // Jira's nextPage is authoritative; without one (or without its since), until is.
  BOOST_TEST(parsed(R"({"values":[],"since":5,"until":9,"nextPage":"/w?expand=x&since=8","lastPage":false})")
                 .next_since == 8);
  BOOST_TEST(parsed(R"({"values":[],"since":5,"until":9,"lastPage":false})").next_since == 9);
  BOOST_TEST(parsed(R"({"values":[],"since":5,"until":9,"nextPage":"/w?x=1","lastPage":false})").next_since == 9);
  const auto last = parsed(R"({"values":[{"worklogId":"7","updatedTime":"6"}],"since":5,"until":6,"lastPage":true})");
  BOOST_TEST(last.last_page);
  BOOST_TEST((last.entries.at(0) == feed_entry{7, 6}));
}

BOOST_AUTO_TEST_CASE(malformed_envelopes_are_errors) {
  BOOST_TEST(parse_error(R"([])").find("not an object") != std::string::npos);
  BOOST_TEST(parse_error(R"({"since":1,"until":2,"lastPage":true})").find("values") != std::string::npos);
  BOOST_TEST(parse_error(R"({"values":[{"updatedTime":3}],"since":1,"until":3,"lastPage":true})")
                 .find("worklogId") != std::string::npos);
  BOOST_TEST(parse_error(R"({"values":[{"worklogId":1,"updatedTime":"soon"}],"since":1,"until":3,"lastPage":true})")
                 .find("updatedTime") != std::string::npos);
  BOOST_TEST(parse_error(R"({"values":[],"since":1,"until":3})").find("lastPage") != std::string::npos);
  BOOST_TEST(parse_error(R"({"values":[],"until":3,"lastPage":true})").find("since") != std::string::npos);
  // A page that is not the last but would not move forward would loop for ever.
  BOOST_TEST(parse_error(R"({"values":[],"since":3,"until":3,"lastPage":false})").find("move") != std::string::npos);
  BOOST_TEST(parse_error(R"({"values":[],"since":3,"until":9,"nextPage":"/w?since=2","lastPage":false})")
                 .find("move") != std::string::npos);
  std::string big = R"({"since":1,"until":2,"lastPage":true,"values":[)";
  for (std::size_t i = 0; i <= worklog_feed_max_entries; ++i)
    big += (i ? "," : "") + std::string(R"({"worklogId":1,"updatedTime":2})");
  BOOST_TEST(parse_error(big + "]}").find("entries") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(since_is_exclusive_so_a_range_starts_one_millisecond_early) {
  // A row updated exactly at the lower bound must come: since = lower - 1.
  const auto start = feed_cursor::before(1'700'000'000'000);
  BOOST_TEST(start.since() == 1'699'999'999'999);
  BOOST_TEST(start.precedes({1, 1'700'000'000'000}));
  BOOST_TEST(!start.precedes({1, 1'699'999'999'999}));
  BOOST_TEST(worklog_feed_target(start.since()) == "/rest/api/3/worklog/updated?since=1699999999999");
  // No lower bound: the whole feed, from 0 (Jira refuses a negative since).
  const auto all = feed_cursor::before(std::numeric_limits<std::int64_t>::min());
  BOOST_TEST(all.precedes({1, 0}));
  BOOST_TEST(worklog_feed_target(all.since()) == "/rest/api/3/worklog/updated?since=0");
}

BOOST_AUTO_TEST_CASE(a_cursor_after_an_entry_resumes_with_its_time_ties) {
  const auto c = feed_cursor::at({20, 500});
  BOOST_TEST((c == feed_cursor{500, 20}));
  // Entries at the same millisecond with a larger id are still ahead, so ask from 499.
  BOOST_TEST(c.since() == 499);
  BOOST_TEST(c.precedes({21, 500}));
  BOOST_TEST(!c.precedes({20, 500}));
  BOOST_TEST(!c.precedes({19, 500}));
  BOOST_TEST(c.precedes({1, 501}));
  BOOST_TEST(!c.precedes({99, 499}));
}

BOOST_AUTO_TEST_CASE(a_step_takes_what_lies_after_the_cursor_and_up_to_the_upper_bound) {
  feed_page page;
  page.entries = {{5, 110}, {3, 100}, {4, 100}, {9, 120}, {2, 99}};
  page.last_page = false;
  page.since = 98;
  page.until = 120;
  page.next_since = 120;
  // Upper bound inclusive; sorted by (updated, id); not done while the feed may go on.
  auto step = step_feed(page, feed_cursor::at({3, 100}), 120);
  BOOST_TEST((step.take == std::vector<feed_entry>{{4, 100}, {5, 110}, {9, 120}}));
  BOOST_TEST(!step.done);
  // An entry past the upper bound ends the read, and is not taken.
  step = step_feed(page, feed_cursor::before(100), 119);
  BOOST_TEST((step.take == std::vector<feed_entry>{{3, 100}, {4, 100}, {5, 110}}));
  BOOST_TEST(step.done);
  page.last_page = true;
  step = step_feed(page, feed_cursor::before(0), max_id);
  BOOST_TEST(step.take.size() == 5u);
  BOOST_TEST(step.done);
}

BOOST_AUTO_TEST_CASE(list_body_holds_the_ids) {
  const std::vector<feed_entry> entries{{10001, 5}, {10007, 6}, {99, 7}};
  BOOST_TEST(json::parse(worklog_list_body(entries)) == json::parse(R"({"ids":[10001,10007,99]})"));
  BOOST_TEST(json::parse(worklog_list_body({})) == json::parse(R"({"ids":[]})"));
}

BOOST_AUTO_TEST_CASE(listed_worklogs_come_back_in_feed_order_without_the_missing) {
  const std::vector<feed_entry> entries{{30, 1}, {10, 2}, {20, 3}, {40, 4}};
  // Jira answers in id order, ids as strings; 40 was deleted meanwhile; 10 is listed twice.
  auto ordered = order_like_feed(
      json::parse(R"([{"id":"10","n":1},{"id":"10","n":2},{"id":"20"},{"id":30}])"), entries);
  BOOST_REQUIRE(ordered);
  BOOST_TEST(json::serialize(*ordered) == R"([{"id":30},{"id":"10","n":1},{"id":"20"}])");
  BOOST_TEST(!order_like_feed(json::parse(R"({"id":"1"})"), entries));
  BOOST_TEST(!order_like_feed(json::parse(R"([{"issueId":"1"}])"), entries));
  BOOST_TEST(!order_like_feed(json::parse(R"([7])"), entries));
}
