// The feed path's worklogs as the Worklogs table's listed items: the issue ids to look up,
// the search for them, one issue copy per worklog holding it as a complete list, and the
// cursor text a $skiptoken carries; which $filter the feed serves, and what its issue
// search asks for.
#include <boost/test/unit_test.hpp>

#include <boost/json/parse.hpp>

#include "gateway/jira/page_plan.hpp"
#include "gateway/jira/worklog_feed_items.hpp"
#include "gateway/jira/worklog_feed_reader.hpp"
#include "tests/gateway/odata/catalog_fixture.hpp"

using namespace jtgw::jira;
namespace json = boost::json;

BOOST_AUTO_TEST_CASE(issue_ids_are_distinct_and_ascending) {
  const auto worklogs = json::parse(R"([{"id":"1","issueId":"10020"},{"id":"2","issueId":"10003"},
      {"id":"3","issueId":"10020"},{"id":"4"},{"id":"5","issueId":"x"},{"id":"6","issueId":10001}])").as_array();
  BOOST_TEST((issue_ids_of(worklogs) == std::vector<std::int64_t>{10001, 10003, 10020}));
  const std::vector<std::int64_t> ids{10001, 10003};
  BOOST_TEST(issue_ids_jql(ids) == "id in (10001, 10003)");
  BOOST_TEST(issue_ids_jql(std::span(ids).first(1)) == "id in (10001)");
}

BOOST_AUTO_TEST_CASE(each_worklog_becomes_its_issue_with_a_complete_list_of_one) {
  const auto list = *jtgw::odata::json_pointer::parse("/fields/worklog/worklogs");
  const auto total = *jtgw::odata::json_pointer::parse("/fields/worklog/total");
  std::unordered_map<std::int64_t, json::value> issues;
  issues.emplace(10003, json::parse(R"({"id":"10003","key":"SEC-4","fields":{"summary":"s"}})"));
  issues.emplace(10020, json::parse(R"({"id":"10020","key":"OPS-2"})"));
  auto worklogs = json::parse(R"([{"id":"7","issueId":"10020"},{"id":"8","issueId":"10003"},
      {"id":"9","issueId":"10099"},{"id":"10","issueId":"10020"}])").as_array();
  const auto items = items_for_worklogs(std::move(worklogs), issues, list, &total);
  // The worklog of an issue no longer visible (10099) is left out; order is kept.
  BOOST_TEST(items == json::parse(R"([
      {"id":"10020","key":"OPS-2","fields":{"worklog":{"worklogs":[{"id":"7","issueId":"10020"}],"total":1}}},
      {"id":"10003","key":"SEC-4","fields":{"summary":"s","worklog":{"worklogs":[{"id":"8","issueId":"10003"}],"total":1}}},
      {"id":"10020","key":"OPS-2","fields":{"worklog":{"worklogs":[{"id":"10","issueId":"10020"}],"total":1}}}])").as_array());
  BOOST_TEST(*item_id(issues.at(10003)) == 10003);
  BOOST_TEST(!item_id(json::parse(R"({"key":"A-1"})")));
}

BOOST_AUTO_TEST_CASE(cursor_text_round_trips_and_refuses_other_text) {
  const feed_cursor c{1'700'000'000'123, 10'042};
  BOOST_TEST(feed_cursor_text(c) == "feed:1700000000123:10042");
  BOOST_TEST((*parse_feed_cursor_text(feed_cursor_text(c)) == c));
  const auto start = feed_cursor::before(0);
  BOOST_TEST((*parse_feed_cursor_text(feed_cursor_text(start)) == start));
  for (const char* bad : {"", "feed:", "feed:1", "feed:1:", "feed::2", "feed:1:2x", "page:1:2", "feed:a:b"})
    BOOST_TEST(!parse_feed_cursor_text(bad), bad);
}

BOOST_AUTO_TEST_CASE(the_feed_serves_cloud_worklogs_bounded_by_updated_from_below) {
  using jtgw::odata::parse_filter;
  const auto& worklogs = jtgw::odata::testing::shipped_table("Worklogs");
  const auto& cloud = worklogs.source[0];
  auto range = [&](const jtgw::odata::table_source& src, std::string_view text) {
    const auto f = parse_filter(worklogs, text);
    BOOST_REQUIRE(f.has_value());
    return worklog_feed_range(src, *f);
  };
  const std::int64_t t = 1'736'000'000'000;  // 2025-01-04T14:13:20Z
  const auto open = range(cloud, "Updated ge 2025-01-04T14:13:20Z");
  BOOST_REQUIRE(open.has_value());
  BOOST_TEST(open->lower == t);
  BOOST_TEST(open->upper == std::numeric_limits<std::int64_t>::max());
  const auto closed = range(cloud, "Updated gt 2025-01-04T14:13:20Z and Updated lt 2025-01-04T14:14:20Z and Created ge 2024-01-01T00:00:00Z");
  BOOST_REQUIRE(closed.has_value());
  BOOST_TEST(closed->lower == t + 1);
  BOOST_TEST(closed->upper == t + 60'000 - 1);
  // No lower bound on Updated, or Data Center (no feed there): the issue walk.
  BOOST_TEST(!range(cloud, "Updated le 2025-01-04T14:13:20Z").has_value());
  BOOST_TEST(!range(cloud, "Created ge 2025-01-04T14:13:20Z").has_value());
  BOOST_TEST(!range(worklogs.source[1], "Updated ge 2025-01-04T14:13:20Z").has_value());
  BOOST_TEST(!worklog_feed_range(cloud, {}).has_value());
  // The feed's issue search asks for what the issue columns read, not the worklog lists.
  BOOST_TEST((search_fields(worklogs, jtgw::odata::flavor::cloud, false) == std::vector<std::string>{"key"}));
  BOOST_TEST((search_fields(worklogs, jtgw::odata::flavor::cloud) == std::vector<std::string>{"worklog"}));
}
