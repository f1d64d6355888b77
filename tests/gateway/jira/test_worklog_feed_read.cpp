// read_feed_batch and jira_client::post_json against a real jira-sample (Cloud): the
// worklogs of a time range, read in batches that resume from the cursor, equal the
// dataset's (visible to the user, updated within the exact bounds, in feed order, no
// duplicates, no gaps), over several feed pages and list requests of ≤ 1000 ids.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/serialize.hpp>

#include "gateway/jira/worklog_feed_read.hpp"
#include "gateway/odata/jira_time.hpp"
#include "tests/gateway/jira/jira_fixture.hpp"

using namespace jtgw;
using namespace jtgw::jira;
using namespace jtgw::jira::test;
namespace json = boost::json;

namespace {

// Enough issues for more than 1000 worklogs: two feed pages and two list requests.
served_dataset& data() {
  static served_dataset d(420, 11);
  return d;
}

struct dataset_worklog {
  std::int64_t id = 0, updated = 0;
};

// Every worklog `u` may see, by (updated, id), from the dataset files alone.
std::vector<dataset_worklog> visible_worklogs(const sample_user& u) {
  const auto& dir = data().dir.path();
  std::set<std::int64_t> projects, issues;
  const auto project_rows = read_dataset_file(dir, "projects.json");
  const auto issue_rows = read_dataset_file(dir, "issues.jsonl");
  const auto worklog_rows = read_dataset_file(dir, "worklogs.jsonl");
  for (const auto& p : project_rows.as_array())
    if (std::count(u.projects.begin(), u.projects.end(), std::string(p.at("key").as_string())))
      projects.insert(p.at("id").as_int64());
  for (const auto& i : issue_rows.as_array())
    if (projects.count(i.at("project_id").as_int64())) issues.insert(i.at("id").as_int64());
  std::vector<dataset_worklog> out;
  for (const auto& w : worklog_rows.as_array()) {
    if (!issues.count(w.at("issue_id").as_int64())) continue;
    const auto updated = odata::parse_jira_datetime(std::string_view(w.at("updated").as_string()));
    BOOST_REQUIRE(updated);
    out.push_back({w.at("id").as_int64(), *updated});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.updated != b.updated ? a.updated < b.updated : a.id < b.id;
  });
  return out;
}

template <typename T>
T run(std::function<net::awaitable<T>(jira_client&)> body) {
  return run_with_client<T>(data().server->url(), std::move(body));
}

struct range_read {
  std::vector<std::int64_t> ids;
  std::size_t batches = 0, feed_requests = 0, list_requests = 0;
  std::optional<jira_failure> failure;
};

// Reads [lower, upper] batch by batch, each resuming from the previous batch's cursor.
range_read read_range(const sample_user& u, std::int64_t lower, std::int64_t upper, std::size_t want) {
  return run<range_read>([&](jira_client& client) -> net::awaitable<range_read> {
    range_read out;
    const auto who = identity_for(u, odata::flavor::cloud);
    auto cursor = feed_cursor::before(lower);
    for (bool done = false; !done && out.batches < 1000;) {
      auto batch = co_await read_feed_batch(client, who, cursor, upper, want);
      if (!batch) {
        out.failure = batch.error();
        co_return out;
      }
      ++out.batches;
      out.feed_requests += batch->feed_requests;
      out.list_requests += batch->list_requests;
      for (const auto& w : batch->worklogs) {
        const auto& id = w.at("id");
        out.ids.push_back(id.is_string() ? std::stoll(std::string(id.get_string())) : id.to_number<std::int64_t>());
      }
      cursor = batch->next;
      done = batch->done;
    }
    co_return out;
  });
}

std::vector<std::int64_t> truth(const sample_user& u, std::int64_t lower, std::int64_t upper) {
  std::vector<std::int64_t> out;
  for (const auto& w : visible_worklogs(u))
    if (w.updated >= lower && w.updated <= upper) out.push_back(w.id);
  return out;
}

void check_range(const sample_user& u, std::int64_t lower, std::int64_t upper, std::size_t want) {
  BOOST_TEST_CONTEXT(u.email << " [" << lower << ", " << upper << "] in batches of " << want) {
    const auto got = read_range(u, lower, upper, want);
    BOOST_REQUIRE_MESSAGE(!got.failure, (got.failure ? got.failure->message : ""));
    const auto expected = truth(u, lower, upper);
    BOOST_TEST(got.ids == expected, boost::test_tools::per_element());
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(ranges_equal_the_dataset_for_each_kind_of_user) {
  const auto& d = data();
  const auto all = visible_worklogs(d.users.all);
  BOOST_REQUIRE_GT(all.size(), 1000u);  // more than one feed page and one list request
  const auto first = all.front().updated, last = all.back().updated;
  const auto mid = all[all.size() / 2].updated, later = all[all.size() / 2 + 40].updated;
  for (const auto* u : {&d.users.all, &d.users.one, &d.users.none}) {
    check_range(*u, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(), 5000);
    check_range(*u, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(), 7);
    // Exactly at rows' times, and one millisecond inside and outside them.
    check_range(*u, mid, later, 3);
    check_range(*u, mid + 1, later - 1, 3);
    check_range(*u, mid - 1, later + 1, 1);
    check_range(*u, first, first, 5);
    check_range(*u, last, last, 5);
    check_range(*u, last + 1, std::numeric_limits<std::int64_t>::max(), 5);
  }
}

BOOST_AUTO_TEST_CASE(the_feed_is_paged_and_listing_is_batched_by_1000) {
  const auto& u = data().users.all;
  const auto n = visible_worklogs(u).size();
  const auto whole = read_range(u, 0, std::numeric_limits<std::int64_t>::max(), 5000);
  BOOST_REQUIRE(!whole.failure);
  BOOST_TEST(whole.ids.size() == n);
  BOOST_TEST(whole.batches == 1u);
  BOOST_TEST(whole.feed_requests == (n + 999) / 1000);  // every worklog is visible to `all`
  BOOST_TEST(whole.list_requests == (n + 999) / 1000);
  // A narrow range reads one feed page and lists once, however large the site.
  const auto all = visible_worklogs(u);
  const auto narrow = read_range(u, all[10].updated, all[30].updated, 5000);
  BOOST_TEST(narrow.ids.size() == 21u);
  BOOST_TEST(narrow.feed_requests == 1u);
  BOOST_TEST(narrow.list_requests == 1u);
}

BOOST_AUTO_TEST_CASE(post_json_sends_the_body_and_reports_jira_refusals) {
  const auto who = identity_for(data().users.all, odata::flavor::cloud);
  const auto all = visible_worklogs(data().users.all);
  // Jira answers POST /worklog/list with the worklogs of the posted ids.
  auto listed = run<boost::system::result<json::value, jira_failure>>([&](jira_client& c) {
    return c.post_json(worklog_list_target,
                       R"({"ids":[)" + std::to_string(all[1].id) + "," + std::to_string(all[0].id) + "]}", who);
  });
  BOOST_REQUIRE(listed);
  BOOST_REQUIRE(listed->is_array());
  BOOST_TEST(listed->as_array().size() == 2u);
  // More than 1000 ids: Jira's 400 and its message come back as a client_error.
  std::vector<feed_entry> many(worklog_list_max_ids + 1, feed_entry{all[0].id, 0});
  auto refused = run<boost::system::result<json::value, jira_failure>>([&](jira_client& c) {
    return c.post_json(worklog_list_target, worklog_list_body(many), who);
  });
  BOOST_REQUIRE(!refused);
  BOOST_TEST((refused.error().kind == failure_kind::client_error));
  BOOST_TEST(refused.error().status == 400u);
  BOOST_TEST(refused.error().message.find("1000") != std::string::npos);
  // A body over our own limit is not sent.
  auto too_big = run<boost::system::result<json::value, jira_failure>>([&](jira_client& c) {
    return c.post_json(worklog_list_target, std::string(c.policy().max_request_bytes + 1, ' '), who);
  });
  BOOST_REQUIRE(!too_big);
  BOOST_TEST((too_big.error().kind == failure_kind::too_large));
  BOOST_TEST(too_big.error().status == 0u);
}
