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
  temp_dir dir;
  served_dataset() {
    generate_dataset(dir.path(), 260, 5);
    server = std::make_unique<jira_sample_process>(dir.path());
    users = pick_users(dir.path());
  }
  std::unique_ptr<jira_sample_process> server;
  dataset_users users;
};

served_dataset& data() {
  static served_dataset d;
  return d;
}

std::int64_t id_of(const json::value& v) { return v.as_int64(); }

// The ids of the projects `u` may browse, from the dataset files.
std::set<std::int64_t> project_ids_of(const sample_user& u) {
  std::set<std::int64_t> ids;
  const auto projects = read_dataset_file(data().dir.path(), "projects.json");
  for (const auto& p : projects.as_array())
    if (std::find(u.projects.begin(), u.projects.end(), std::string(p.at("key").as_string())) != u.projects.end())
      ids.insert(id_of(p.at("id")));
  return ids;
}

// What the dataset says `u` may see in `table` — from the dataset files only.
std::size_t expected_rows(const std::string& table, const sample_user& u) {
  const auto& dir = data().dir.path();
  const auto visible_projects = project_ids_of(u);
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
  // Child tables: the rows of every issue `u` may browse, from the dataset's own lists.
  std::set<std::int64_t> visible_issues;
  const auto issues = read_dataset_file(dir, "issues.jsonl");
  for (const auto& i : issues.as_array())
    if (visible_projects.count(id_of(i.at("project_id")))) visible_issues.insert(id_of(i.at("id")));
  auto children_of_visible = [&](const char* file) {
    std::size_t n = 0;
    const auto children = read_dataset_file(dir, file);
    for (const auto& row : children.as_array()) n += visible_issues.count(id_of(row.at("issue_id")));
    return n;
  };
  auto list_sizes = [&](const char* member) {
    std::size_t n = 0;
    for (const auto& i : issues.as_array())
      if (visible_issues.count(id_of(i.at("id")))) n += i.at(member).as_array().size();
    return n;
  };
  if (table == "Worklogs") return children_of_visible("worklogs.jsonl");
  if (table == "Comments") return children_of_visible("comments.jsonl");
  if (table == "Changelog") {
    std::size_t n = 0;
    const auto histories = read_dataset_file(dir, "changelog.jsonl");
    for (const auto& h : histories.as_array())
      if (visible_issues.count(id_of(h.at("issue_id")))) n += h.at("items").as_array().size();
    return n;
  }
  // Links stay inside a project: each shows on both of its issues.
  if (table == "IssueLinks") {
    std::size_t n = 0;
    const auto links = read_dataset_file(dir, "issue_links.jsonl");
    for (const auto& l : links.as_array())
      n += visible_issues.count(id_of(l.at("source_issue_id"))) + visible_issues.count(id_of(l.at("destination_issue_id")));
    return n;
  }
  if (table == "IssueSprints") return list_sizes("sprint_ids");
  if (table == "IssueLabels") return list_sizes("labels");
  if (table == "IssueComponents") return list_sizes("component_ids");
  if (table == "IssueFixVersions") return list_sizes("fix_version_ids");
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

// Per-issue requests the dataset calls for: one per issue whose embedded list Jira cuts
// (worklogs and comments over 20 fit one 5000-row page; Cloud's changelog over 100 takes
// one request per 100 histories).
std::size_t expected_completions(const std::string& table, odata::flavor f, const sample_user& u) {
  const auto& dir = data().dir.path();
  const auto visible_projects = project_ids_of(u);
  std::map<std::int64_t, std::size_t> per_issue;
  const char* file = table == "Worklogs" ? "worklogs.jsonl" : table == "Comments" ? "comments.jsonl" : "changelog.jsonl";
  const auto children = read_dataset_file(dir, file);
  for (const auto& row : children.as_array()) ++per_issue[id_of(row.at("issue_id"))];
  std::size_t n = 0;
  const auto issues = read_dataset_file(dir, "issues.jsonl");
  for (const auto& i : issues.as_array()) {
    if (!visible_projects.count(id_of(i.at("project_id")))) continue;
    const std::size_t count = per_issue[id_of(i.at("id"))];
    if (table != "Changelog" && count > 20) ++n;
    if (table == "Changelog" && f == odata::flavor::cloud && count > 100) n += (count + 99) / 100;
  }
  return n;
}

BOOST_AUTO_TEST_CASE(truncated_lists_are_completed_from_the_issue) {
  bool some_truncated = false;
  for (const auto f : {odata::flavor::cloud, odata::flavor::datacenter})
    for (const char* table : {"Worklogs", "Comments", "Changelog"})
      for (const auto* u : {&data().users.all, &data().users.one, &data().users.none})
        BOOST_TEST_CONTEXT(table << " " << odata::to_string(f) << " as " << u->username) {
          const auto walked = walk_table(data().server->url(), table, f, identity_for(*u, f));
          BOOST_REQUIRE_MESSAGE(!walked.failure, walked.failure->message);
          const auto expected = expected_completions(table, f, *u);
          BOOST_TEST(walked.completions == expected);
          BOOST_TEST(walked.keys.size() == expected_rows(table, *u));
          some_truncated = some_truncated || expected > 0;
        }
  BOOST_TEST(some_truncated, "the dataset has issues with truncated lists");
}

BOOST_AUTO_TEST_CASE(rate_limited_jira_is_waited_out) {
  // 1 request/s: Versions (the project listing, then one request per project) meets
  // 429 + Retry-After several times and still comes out whole.
  jira_sample_process limited(data().dir.path(), {"--rate-limit", "1", "--access-log"});
  const auto walked = walk_table(limited.url(), "Versions", odata::flavor::datacenter,
                                 identity_for(data().users.all, odata::flavor::datacenter));
  BOOST_REQUIRE_MESSAGE(!walked.failure, walked.failure->message);
  BOOST_TEST(walked.keys.size() == expected_rows("Versions", data().users.all));
  BOOST_TEST(limited.output().find("\"status\":429") != std::string::npos);  // it was throttled
}

BOOST_AUTO_TEST_CASE(persistent_throttling_gives_up_with_retry_after) {
  // Every request fails 503: after max_attempts the failure carries a Retry-After.
  jira_sample_process failing(data().dir.path(), {"--fail-every", "1"});
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
