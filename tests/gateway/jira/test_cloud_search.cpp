// The two-tier Cloud search (gateway/jira/id_listing*) against a real jira-sample with
// more issues than one id listing page holds: rows equal the dataset's and come in the
// sequential order (Data Center's startAt walk of the same JQL); the requests are
// ceil(n/5000) listings + ceil(n/100) searches by id, as jira-sample's access log counts
// them; at most search_slots of them are in flight at once, and more than one is.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <set>
#include <sstream>

#include <boost/json/parse.hpp>

#include "gateway/jira/id_listing_reader.hpp"
#include "gateway/jira/listing_cache.hpp"
#include "tests/gateway/jira/jira_fixture.hpp"

using namespace jtgw;
using namespace jtgw::jira;
using namespace jtgw::jira::test;
namespace json = boost::json;

namespace {

constexpr std::int64_t dataset_issues = 5200;  // two id listing pages for who sees all
constexpr int latency_ms = 60;                 // so that requests overlap measurably
constexpr std::size_t slots = 3;               // search_slots, not the default

struct cloud_dataset {
  temp_dir dir;
  std::unique_ptr<jira_sample_process> server;
  dataset_users users;
  cloud_dataset() {
    generate_dataset(dir.path(), dataset_issues, 11);
    server = std::make_unique<jira_sample_process>(
        dir.path(), std::vector<std::string>{"--access-log", "--latency-ms", std::to_string(latency_ms)});
    users = pick_users(dir.path());
  }
};

cloud_dataset& data() {
  static cloud_dataset d;
  return d;
}

// The issues `u` may browse, from the dataset files.
std::vector<json::object> visible_issues(const sample_user& u) {
  std::set<std::int64_t> projects;
  const auto project_rows = read_dataset_file(data().dir.path(), "projects.json");
  for (const auto& p : project_rows.as_array())
    if (std::find(u.projects.begin(), u.projects.end(), std::string(p.at("key").as_string())) != u.projects.end())
      projects.insert(p.at("id").as_int64());
  std::vector<json::object> out;
  const auto issues = read_dataset_file(data().dir.path(), "issues.jsonl");
  for (const auto& i : issues.as_array())
    if (projects.count(i.at("project_id").as_int64())) out.push_back(i.as_object());
  return out;
}

std::size_t ceil_div(std::size_t a, std::size_t b) { return (a + b - 1) / b; }

// One search/jql request as jira-sample's access log has it: when it arrived and how
// long it took (the injected latency included), in milliseconds.
struct logged_request {
  double start_ms = 0, total_ms = 0;
};

double epoch_ms(std::string_view rfc3339) {  // "2026-11-29T14:21:07.345Z"
  auto num = [&](std::size_t at, std::size_t len) { return std::stoi(std::string(rfc3339.substr(at, len))); };
  const auto day = std::chrono::sys_days(std::chrono::year(num(0, 4)) / num(5, 2) / num(8, 2));
  return double(day.time_since_epoch() / std::chrono::milliseconds(1)) + num(11, 2) * 3'600'000.0 +
         num(14, 2) * 60'000.0 + num(17, 2) * 1000.0 + num(20, 3);
}

std::vector<logged_request> search_requests(const std::string& log) {
  std::vector<logged_request> out;
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line)) {
    const auto brace = line.find('{');
    if (brace == std::string::npos || line.find("\"path\":\"/rest/api/3/search/jql\"") == std::string::npos) continue;
    const auto entry = json::parse(line.substr(brace)).as_object();
    out.push_back({epoch_ms(entry.at("time").as_string()), entry.at("total_ms").to_number<double>()});
  }
  return out;
}

// The most requests surely in flight at once: each one's interval is shrunk by a margin
// at both ends (log times are whole milliseconds), so an overlap counted is a real one.
std::size_t most_overlapping(const std::vector<logged_request>& requests) {
  constexpr double margin = 5;
  std::vector<std::pair<double, int>> edges;
  for (const auto& r : requests) {
    if (r.total_ms <= 2 * margin) continue;
    edges.emplace_back(r.start_ms + margin, +1);
    edges.emplace_back(r.start_ms + r.total_ms - margin, -1);
  }
  std::sort(edges.begin(), edges.end());  // at equal times an end (-1) comes first
  int now = 0, most = 0;
  for (const auto& [t, step] : edges) most = std::max(most, now += step);
  return std::size_t(most);
}

}  // namespace

BOOST_AUTO_TEST_CASE(cloud_issues_read_an_id_listing_then_pages_by_id) {
  for (const auto* u : {&data().users.all, &data().users.one, &data().users.none}) {
    BOOST_TEST_CONTEXT("as " << u->username) {
      const auto n = visible_issues(*u).size();
      const auto logged_before = search_requests(data().server->output()).size();
      const auto walked = walk_table(data().server->url(), "Issues", odata::flavor::cloud,
                                     identity_for(*u, odata::flavor::cloud), {}, slots);
      BOOST_REQUIRE_MESSAGE(!walked.failure, walked.failure->message);
      BOOST_TEST(walked.keys.size() == n);
      BOOST_TEST(std::set<std::string>(walked.keys.begin(), walked.keys.end()).size() == n);  // no row twice

      // The sequential order: Data Center's startAt walk of the same JQL and ORDER BY.
      const auto sequential = walk_table(data().server->url(), "Issues", odata::flavor::datacenter,
                                         identity_for(*u, odata::flavor::datacenter));
      BOOST_REQUIRE(!sequential.failure);
      BOOST_TEST(walked.keys == sequential.keys);

      const auto listings = std::max<std::size_t>(ceil_div(n, 5000), 1);
      const auto details = ceil_div(n, 100);
      BOOST_TEST(walked.listing_requests == listings);
      BOOST_TEST(walked.detail_requests == details);
      BOOST_TEST(walked.fetches == walked.pages);  // every page predicted right: none wasted
      BOOST_TEST(walked.most_in_flight <= slots);
      // jira-sample saw exactly these Cloud searches (the DC walk is on another path).
      const auto logged = search_requests(data().server->output());
      BOOST_TEST(logged.size() - logged_before == listings + details);
      if (u == &data().users.all) {
        BOOST_TEST(listings == 2u, "the dataset spans two listing pages for who sees all");
        const std::vector<logged_request> mine(logged.begin() + std::ptrdiff_t(logged_before), logged.end());
        const auto overlap = most_overlapping(mine);
        BOOST_TEST(overlap <= slots);
        BOOST_TEST(overlap >= 2u, "detail searches run concurrently");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(cloud_child_tables_list_issues_the_same_way) {
  // IssueLabels: a row per label of each listed issue, across both listing pages.
  const auto& u = data().users.all;
  std::size_t labels = 0;
  const auto issues = visible_issues(u);
  for (const auto& i : issues) labels += i.at("labels").as_array().size();
  const auto walked =
      walk_table(data().server->url(), "IssueLabels", odata::flavor::cloud, identity_for(u, odata::flavor::cloud), {}, slots);
  BOOST_REQUIRE_MESSAGE(!walked.failure, walked.failure->message);
  BOOST_TEST(walked.keys.size() == labels);
  BOOST_TEST(walked.listing_requests == 2u);
  BOOST_TEST(walked.detail_requests == ceil_div(issues.size(), 100));
}

// Issues deleted or hidden between the listing and the search by id: Jira refuses the
// search naming one of them; jtgw searches again without it, and the others come back
// in the order asked. Here: an id nobody has and one of a project the user cannot see.
BOOST_AUTO_TEST_CASE(issues_gone_since_the_listing_are_no_rows) {
  const auto& u = data().users.one;
  const auto mine = visible_issues(u);
  BOOST_REQUIRE(mine.size() >= 2u);
  std::optional<std::int64_t> hidden;
  const auto all = read_dataset_file(data().dir.path(), "issues.jsonl");
  for (const auto& i : all.as_array())
    if (i.at("project_id") != mine.front().at("project_id")) hidden = i.at("id").as_int64();
  BOOST_REQUIRE(hidden);
  const std::int64_t a = mine[1].at("id").as_int64(), b = mine[0].at("id").as_int64();
  const std::vector<std::int64_t> asked{a, 999'999'999, *hidden, b};

  const auto& t = *shipped_catalog().find("Issues");
  const listing_plan plan(t.source[std::size_t(odata::flavor::cloud)], search_fields(t, odata::flavor::cloud), {});
  const auto who = identity_for(u, odata::flavor::cloud);
  struct outcome {
    boost::system::result<void, jira_failure> searched;
    std::vector<std::int64_t> ids;
    std::vector<std::size_t> placed;
    std::size_t requests = 0;
  };
  auto search = [&](std::vector<std::int64_t> ids) {
    return run_with_client<outcome>(data().server->url(), [&](jira_client& client) -> net::awaitable<outcome> {
      outcome out;
      json::array issues;
      out.searched = co_await search_by_ids(client, plan, ids, who, issues, out.placed, out.requests);
      for (const auto& i : issues) out.ids.push_back(std::stoll(std::string(i.at("id").as_string())));
      co_return out;
    });
  };
  auto got = search(asked);
  BOOST_REQUIRE(got.searched.has_value());
  BOOST_TEST((got.ids == std::vector<std::int64_t>{a, b}));  // the order asked, not Jira's
  BOOST_TEST((got.placed == std::vector<std::size_t>{0, 3}));
  BOOST_TEST(got.requests == 3u);  // jira-sample names one missing id per refusal
  // Nothing left to find is no rows, no error.
  got = search({*hidden});
  BOOST_REQUIRE(got.searched.has_value());
  BOOST_TEST(got.ids.empty());
  BOOST_TEST(got.requests == 1u);
}

// The responses of one export share id listing pages: a reader resuming inside a page
// another reader read takes it from the cache; a read from the table's start, or by
// another user, asks Jira.
BOOST_AUTO_TEST_CASE(resumed_responses_take_their_listing_page_from_the_cache) {
  const auto& t = *shipped_catalog().find("Issues");
  listing_cache cache;
  auto listings_read = [&](const sample_user& u, const page_key& start) {
    return run_with_client<std::size_t>(data().server->url(), [&](jira_client& client) -> net::awaitable<std::size_t> {
      auto reader = std::make_shared<table_reader>(client, shipped_catalog(), t, odata::flavor::cloud,
                                                   identity_for(u, odata::flavor::cloud));
      reader->share_listings(cache, u.username);
      auto opened = co_await reader->open(start);
      BOOST_REQUIRE(opened.has_value());
      auto page = co_await reader->fetch(start);
      BOOST_REQUIRE(page.has_value());
      BOOST_TEST((*page)->items->size() == 100u);
      co_return reader->listing_requests();
    });
  };
  const auto& ada = data().users.all;
  BOOST_TEST(listings_read(ada, page_key{}) == 1u);                // the export's first response
  BOOST_TEST(listings_read(ada, page_key{0, 1000, {}, 0}) == 0u);  // its next ones
  BOOST_TEST(listings_read(ada, page_key{0, 2000, {}, 3}) == 0u);
  BOOST_TEST(listings_read(ada, page_key{}) == 1u);                // a new export: a fresh listing
  BOOST_TEST(listings_read(data().users.one, page_key{0, 100, {}, 0}) == 1u);  // not another user's
}
