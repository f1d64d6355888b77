// $filter ranges as JQL: whole minutes, widened by the time zones JQL may be read in,
// ANDed into the catalog's query before its ORDER BY; never narrower than the range.
#include <boost/test/unit_test.hpp>

#include <cstdlib>

#include <boost/url/parse.hpp>

#include "gateway/jira/jql_narrowing.hpp"
#include "gateway/jira/page_plan.hpp"

using namespace jtgw;
using namespace jtgw::jira;

namespace {

const odata::catalog& cat() {
  static const odata::catalog c =
      odata::load_catalog_file(std::filesystem::path(std::getenv("JTGW_SOURCE_DIR")) / "connector-manifest/tables.json");
  return c;
}
const odata::table& issues() { return *cat().find("Issues"); }

odata::row_filter filter(const odata::table& t, std::string_view text) {
  auto f = odata::parse_filter(t, text);
  BOOST_REQUIRE_MESSAGE(f.has_value(), text);
  return *f;
}

constexpr jql_zone_window utc_only{std::chrono::minutes{0}, std::chrono::minutes{0}};

std::string narrowed(std::string_view text, jql_zone_window zones = utc_only) {
  return jql_narrowing(issues(), filter(issues(), text), zones);
}

std::string jql_param(const std::string& target) {
  auto url = boost::urls::parse_origin_form(target);
  BOOST_REQUIRE(url.has_value());
  auto it = url->params().find("jql");
  BOOST_REQUIRE(it != url->params().end());
  return (*it).value;
}

}  // namespace

BOOST_AUTO_TEST_CASE(minutes_floor_and_the_next_minute) {
  BOOST_TEST(jql_minute(0) == "1970/01/01 00:00");
  BOOST_TEST(jql_minute(-1) == "1969/12/31 23:59");
  BOOST_TEST(narrowed("Updated ge 2025-01-17T12:34:56.789Z") == R"(updated >= "2025/01/17 12:34")");
  BOOST_TEST(narrowed("Updated gt 2025-01-17T12:34:00Z") == R"(updated >= "2025/01/17 12:34")");
  BOOST_TEST(narrowed("Updated gt 2025-01-17T12:34:59.999Z") == R"(updated >= "2025/01/17 12:35")");
  BOOST_TEST(narrowed("Updated le 2025-01-17T12:34:56.789Z") == R"(updated < "2025/01/17 12:35")");
  BOOST_TEST(narrowed("Updated le 2025-01-17T12:34:00Z") == R"(updated < "2025/01/17 12:35")");
  BOOST_TEST(narrowed("Updated lt 2025-01-17T12:34:00Z") == R"(updated < "2025/01/17 12:34")");
  BOOST_TEST(narrowed("Updated lt 2025-01-17T12:34:00.001Z") == R"(updated < "2025/01/17 12:35")");
  // The literal's offset is applied before formatting (JQL here in UTC).
  BOOST_TEST(narrowed("Updated ge 2025-01-01T01:30:00+05:30") == R"(updated >= "2024/12/31 20:00")");
  BOOST_TEST(narrowed("Created ge 2024-01-01T00:00:00Z and Updated lt 2025-01-01T00:00:00Z and "
                      "Created lt 2024-02-01T00:00:00Z") ==
             R"(created >= "2024/01/01 00:00" AND created < "2024/02/01 00:00" AND updated < "2025/01/01 00:00")");
  BOOST_TEST(narrowed("Updated ge 2024-01-01T00:00:00Z and Updated ge 2024-06-01T00:00:00Z") ==
             R"(updated >= "2024/06/01 00:00")");
}

BOOST_AUTO_TEST_CASE(widened_by_the_zones_jql_may_be_read_in) {
  // Read in UTC-12 the lower literal is 12 h later, read in UTC+14 the upper one 14 h earlier.
  BOOST_TEST(narrowed("Updated ge 2025-01-17T12:34:56Z", {}) == R"(updated >= "2025/01/17 00:34")");
  BOOST_TEST(narrowed("Updated le 2025-01-17T12:34:56Z", {}) == R"(updated < "2025/01/18 02:35")");
  BOOST_TEST(narrowed("Updated lt 2025-01-17T12:34:00Z", {}) == R"(updated < "2025/01/18 02:34")");
}

BOOST_AUTO_TEST_CASE(bounds_outside_jql_years_are_left_to_the_exact_filter) {
  BOOST_TEST(narrowed("Updated ge 0001-01-01T00:00:00Z") == "");
  BOOST_TEST(narrowed("Updated le 9999-12-31T23:59:59Z") == "");
  BOOST_TEST(narrowed("Updated ge 0001-01-01T00:00:00Z and Updated lt 2000-01-01T00:00:00Z") ==
             R"(updated < "2000/01/01 00:00")");
  BOOST_TEST(narrowed("Updated le 9999-12-31T12:00:00Z", {}) == "");  // + 14 h: year 10000
}

BOOST_AUTO_TEST_CASE(child_tables_push_lower_bounds_only) {
  odata::table t = issues();
  t.columns[*t.column_index("Updated")].filter->lower_bound_only = true;
  t.columns[*t.column_index("Created")].filter->jql = "updated";
  t.columns[*t.column_index("Created")].filter->lower_bound_only = true;
  auto f = filter(t, "Updated ge 2025-01-01T00:00:00Z and Updated le 2025-02-01T00:00:00Z and "
                     "Created ge 2025-01-05T00:00:00Z");
  BOOST_TEST(jql_narrowing(t, f, utc_only) == R"(updated >= "2025/01/05 00:00")");
  BOOST_TEST(jql_narrowing(t, filter(t, "Updated le 2025-02-01T00:00:00Z"), utc_only) == "");
}

BOOST_AUTO_TEST_CASE(anded_before_order_by) {
  const std::string n = R"(updated >= "2025/01/17 12:34")";
  BOOST_TEST(and_jql(R"(created >= "1970-01-01" ORDER BY key ASC)", n) ==
             R"(created >= "1970-01-01" AND updated >= "2025/01/17 12:34" ORDER BY key ASC)");
  BOOST_TEST(and_jql("ORDER BY key ASC", n) == n + " ORDER BY key ASC");
  BOOST_TEST(and_jql("order by key", n) == n + " order by key");
  BOOST_TEST(and_jql("", n) == n);
  BOOST_TEST(and_jql("project = ENG", n) == "project = ENG AND " + n);
  BOOST_TEST(and_jql("project = A or project = B ORDER BY key", n) == "(project = A or project = B) AND " + n +
                                                                          " ORDER BY key");
  BOOST_TEST(and_jql(R"(summary ~ "or order by" ORDER BY key)", n) == R"(summary ~ "or order by" AND )" + n +
                                                                          " ORDER BY key");
  BOOST_TEST(and_jql("ORDER BY key", "") == "ORDER BY key");
  BOOST_TEST(and_jql("project = ENG", "") == "project = ENG");
}

BOOST_AUTO_TEST_CASE(page_targets_carry_the_narrowed_jql) {
  const auto& t = issues();
  const std::string n = R"(updated >= "2025/01/17 12:34")";
  const auto cloud = page_target(t.source[0], search_fields(t, odata::flavor::cloud), {}, nullptr, n);
  BOOST_REQUIRE(cloud.has_value());
  BOOST_TEST(jql_param(*cloud) == and_jql(t.source[0].query.front().second, n));
  BOOST_TEST(jql_param(*cloud).find(n + " ORDER BY") != std::string::npos);
  const auto dc = page_target(t.source[1], search_fields(t, odata::flavor::datacenter), {}, nullptr, n);
  BOOST_REQUIRE(dc.has_value());
  BOOST_TEST(jql_param(*dc) == n + " ORDER BY key ASC");
  const auto plain = page_target(t.source[1], {}, {}, nullptr);
  BOOST_TEST(jql_param(*plain) == "ORDER BY key ASC");
}
