// The data layer against a real jira-sample: every table of the catalog, both flavors,
// the three kinds of user; counts and keys compared with the dataset files; prefetch
// fetches each page once; Jira's 429 is waited out; Jira down is "unreachable".
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "tests/gateway/jira/jira_fixture.hpp"

using namespace jtgw;
using namespace jtgw::jira;
using namespace jtgw::jira::test;
namespace json = boost::json;

namespace {

// One dataset and one server for the whole file: generation is the slow part.
struct served_dataset {
  scratch_dir dir;
  served_dataset() {
    generate_dataset(dir.path(), 260, 5);
    server = std::make_unique<sample_server>(dir.path());
    users = pick_users(dir.path());
  }
  std::unique_ptr<sample_server> server;
  dataset_users users;
};

served_dataset& data() {
  static served_dataset d;
  return d;
}

std::int64_t id_of(const json::value& v) { return v.as_int64(); }

// What the dataset says `u` may see in `table` — from the dataset files only.
std::size_t expected_rows(const std::string& table, const sample_user& u) {
  const auto& dir = data().dir.path();
  std::set<std::int64_t> visible_projects;
  const auto projects = read_dataset_file(dir, "projects.json");
  for (const auto& p : projects.as_array())
    if (std::find(u.projects.begin(), u.projects.end(), std::string(p.at("key").as_string())) != u.projects.end())
      visible_projects.insert(id_of(p.at("id")));
  auto count_in_projects = [&](const char* file, const char* project_member) {
    std::size_t n = 0;
    const auto rows = read_dataset_file(dir, file);
    for (const auto& row : rows.as_array())
      n += visible_projects.count(id_of(row.at(project_member)));
    return n;
  };
  if (table == "Issues") return count_in_projects("issues.jsonl", "project_id");
  if (table == "Projects") return visible_projects.size();
  if (table == "Users") return read_dataset_file(dir, "users.json").as_array().size();
  if (table == "Fields") return read_dataset_file(dir, "fields.json").as_array().size();
  if (table == "Statuses") return read_dataset_file(dir, "statuses.json").as_array().size();
  if (table == "Priorities") return read_dataset_file(dir, "priorities.json").as_array().size();
  if (table == "Boards") return count_in_projects("boards.json", "project_id");
  if (table == "Versions") return count_in_projects("versions.json", "project_id");
  if (table == "Components") return count_in_projects("components.json", "project_id");
  if (table == "Sprints") {
    std::map<std::int64_t, bool> scrum_visible;
    const auto boards = read_dataset_file(dir, "boards.json");
    for (const auto& b : boards.as_array())
      scrum_visible[id_of(b.at("id"))] =
          b.at("type").as_string() == "scrum" && visible_projects.count(id_of(b.at("project_id")));
    std::size_t n = 0;
    const auto sprints = read_dataset_file(dir, "sprints.json");
    for (const auto& s : sprints.as_array()) n += scrum_visible[id_of(s.at("board_id"))];
    return n;
  }
  BOOST_FAIL("no expectation for " << table);
  return 0;
}

void check_table(const std::string& table, odata::flavor f, const sample_user& u) {
  BOOST_TEST_CONTEXT(table << " " << odata::to_string(f) << " as " << u.username) {
    const auto walked = walk_table(data().server->url(), table, f, identity_for(u, f));
    BOOST_REQUIRE_MESSAGE(!walked.failure, walked.failure->message);
    BOOST_TEST(walked.keys.size() == expected_rows(table, u));
    const std::set<std::string> unique(walked.keys.begin(), walked.keys.end());
    BOOST_TEST(unique.size() == walked.keys.size());  // no row twice
    BOOST_TEST(unique.count("<null>") == 0u);
    // Prefetching never fetches a page twice and wastes at most the one speculative page.
    BOOST_TEST(walked.fetches <= walked.pages + 1);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_table_both_flavors_three_users) {
  for (const auto f : {odata::flavor::cloud, odata::flavor::datacenter})
    for (const auto& t : shipped_catalog().tables)
      for (const auto* u : {&data().users.all, &data().users.one, &data().users.none}) check_table(t.name, f, *u);
}

BOOST_AUTO_TEST_CASE(rate_limited_jira_is_waited_out) {
  // 1 request/s: Versions (the project listing, then one request per project) meets
  // 429 + Retry-After several times and still comes out whole.
  sample_server limited(data().dir.path(), {"--rate-limit", "1", "--access-log"});
  const auto walked = walk_table(limited.url(), "Versions", odata::flavor::datacenter,
                                 identity_for(data().users.all, odata::flavor::datacenter));
  BOOST_REQUIRE_MESSAGE(!walked.failure, walked.failure->message);
  BOOST_TEST(walked.keys.size() == expected_rows("Versions", data().users.all));
  BOOST_TEST(limited.output().find("\"status\":429") != std::string::npos);  // it was throttled
}

BOOST_AUTO_TEST_CASE(persistent_throttling_gives_up_with_retry_after) {
  // Every request fails 503: after max_attempts the failure carries a Retry-After.
  sample_server failing(data().dir.path(), {"--fail-every", "1"});
  retry_policy quick;
  quick.max_attempts = 3;
  quick.first_backoff = std::chrono::milliseconds(10);
  const auto walked = walk_table(failing.url(), "Fields", odata::flavor::cloud,
                                 identity_for(data().users.all, odata::flavor::cloud), quick);
  BOOST_REQUIRE(walked.failure.has_value());
  BOOST_TEST(int(walked.failure->kind) == int(failure_kind::throttled));
  BOOST_TEST(walked.failure->retry_after.count() >= 1);
}

BOOST_AUTO_TEST_CASE(jira_down_is_unreachable) {
  const auto walked = walk_table("http://127.0.0.1:" + std::to_string(closed_port()), "Projects",
                                 odata::flavor::cloud, identity_for(data().users.all, odata::flavor::cloud));
  BOOST_REQUIRE(walked.failure.has_value());
  BOOST_TEST(int(walked.failure->kind) == int(failure_kind::unreachable));
}

BOOST_AUTO_TEST_CASE(wrong_credential_is_rejected) {
  auto who = identity_for(data().users.all, odata::flavor::datacenter);
  who.credential = proxy::upstream_credential::bearer("not-a-pat");
  const auto walked = walk_table(data().server->url(), "Issues", odata::flavor::datacenter, who);
  BOOST_REQUIRE(walked.failure.has_value());
  BOOST_TEST(int(walked.failure->kind) == int(failure_kind::credential_rejected));
}
