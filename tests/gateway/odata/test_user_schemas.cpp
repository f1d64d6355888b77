// user_schemas against a real jira-sample: with custom fields off no custom columns, but
// IssueSprints still reads the sprint field the user's /field list shows; on, each user's field list is read from Jira once and reused within
// the time limit, the cache holds at most max_users users, service mode reads the list
// acting as the user (X-Forwarded-User), and Jira's failure comes back as a value.
#include <chrono>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include "gateway/odata/user_schemas.hpp"
#include "tests/gateway/jira/jira_fixture.hpp"

namespace json = boost::json;
using namespace jtgw;
using namespace jtgw::odata;
using test_support::jira_sample_process;
using test_support::temp_dir;

namespace {

// Occurrences of a request for `path` in jira-sample's access log.
std::size_t requests_for(const jira_sample_process& sample, std::string_view path) {
  const std::string needle = "\"path\":\"" + std::string(path) + "\"";
  const std::string log = sample.output();
  std::size_t n = 0;
  for (auto at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1)) ++n;
  return n;
}

// One user_schemas on a real pool to `sample`, driven to completion per call.
struct harness {
  harness(const jira_sample_process& sample, bool custom_fields, schema_cache_limits limits = {}, flavor f = flavor::cloud)
      : pool(ioc.get_executor(), upstream_for(sample.url())),
        client(pool),
        schemas(jira::test::shipped_catalog(), custom_fields, client, f, limits) {}

  static proxy::upstream_config upstream_for(const std::string& url) {
    proxy::upstream_config c;
    c.base_url = url;
    return c;
  }

  boost::system::result<schema_ptr, jira::jira_failure> get(const std::string& user, const jira::jira_identity& who) {
    auto call = [&]() -> net::awaitable<boost::system::result<schema_ptr, jira::jira_failure>> {
      co_return co_await schemas.for_user(user, who);
    };
    auto done = net::co_spawn(ioc, call(), net::use_future);
    ioc.restart();
    ioc.run();
    return done.get();
  }

  net::io_context ioc;
  proxy::upstream_pool pool;
  jira::jira_client client;
  user_schemas schemas;
};

std::size_t custom_columns(const served_schema& s) {
  const auto& issues = *s.tables.find("Issues");
  return issues.columns.size() - jira::test::shipped_catalog().find("Issues")->columns.size();
}

struct dataset {
  temp_dir dir;
  jira::test::dataset_users users;
  dataset() {
    test_support::generate_dataset(dir.path(), 30, 3);
    users = jira::test::pick_users(dir.path());
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(user_schemas_suite)

BOOST_AUTO_TEST_CASE(off_means_no_custom_columns_but_the_sprint_field_is_found) {
  dataset d;
  jira_sample_process sample(d.dir.path(), {"--access-log"});
  harness h(sample, false);
  BOOST_TEST(!h.schemas.per_user("Issues"));
  BOOST_TEST(!h.schemas.per_user("Projects"));
  // IssueSprints reads the sprint field the user's field list shows, custom fields or not.
  BOOST_TEST(h.schemas.per_user("IssueSprints"));
  const auto who = jira::test::identity_for(d.users.all, flavor::cloud);
  auto got = h.get("alice", who);
  BOOST_REQUIRE(got.has_value());
  BOOST_TEST(custom_columns(**got) == 0u);
  BOOST_TEST((*got)->metadata == h.schemas.shared()->metadata);
  // jira-sample's sprint field (its fields.json), found by its schema.
  const auto fields = jira::test::read_dataset_file(d.dir.path(), "fields.json");
  std::string sprint;
  for (const auto& f : fields.as_array()) {
    const auto* schema = f.as_object().if_contains("schema");
    const auto* custom = schema && schema->is_object() ? schema->as_object().if_contains("custom") : nullptr;
    if (custom && *custom == "com.pyxis.greenhopper.jira:gh-sprint") sprint = std::string(f.at("id").as_string());
  }
  BOOST_REQUIRE(!sprint.empty());
  for (const auto& src : (*got)->tables.find("IssueSprints")->source)
    BOOST_TEST(src.rows->each.front().text == "/fields/" + sprint);
  for (int i = 0; i < 1000 && requests_for(sample, "/rest/api/3/field") == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  BOOST_TEST(requests_for(sample, "/rest/api/3/field") == 1u);
}

BOOST_AUTO_TEST_CASE(on_reads_each_users_field_list_once_within_the_time_limit) {
  // A schema read from Jira is a new object; one from the cache is the same object (the
  // test holds every one it got, so an address is never reused).
  dataset d;
  jira_sample_process sample(d.dir.path());
  harness h(sample, true, schema_cache_limits{std::chrono::hours(1), 2, 20'000});
  BOOST_TEST(h.schemas.per_user("Issues"));
  BOOST_TEST(!h.schemas.per_user("Projects"));
  const auto all = jira::test::identity_for(d.users.all, flavor::cloud);
  const auto one = jira::test::identity_for(d.users.one, flavor::cloud);
  const auto none = jira::test::identity_for(d.users.none, flavor::cloud);

  auto first = h.get("all", all);
  BOOST_REQUIRE(first.has_value());
  BOOST_TEST(first->get() != h.schemas.shared().get());
  BOOST_TEST(custom_columns(**first) == 5u);  // jira-sample: 6 custom fields, Sprint is a child table
  BOOST_TEST((*first)->metadata.find("StoryPoints_10016") != std::string::npos);
  BOOST_TEST(custom_columns(*h.schemas.shared()) == 0u);
  auto again = h.get("all", all);
  BOOST_REQUIRE(again.has_value());
  BOOST_TEST(again->get() == first->get());

  // Another user gets their own. A third fills the cache beyond max_users = 2, so the
  // entry that expires first (the first user's) goes, and is read again next time.
  auto second = h.get("one", one);
  BOOST_REQUIRE(second.has_value());
  BOOST_TEST(second->get() != first->get());
  auto third = h.get("none", none);
  BOOST_REQUIRE(third.has_value());
  auto third_again = h.get("none", none);
  BOOST_REQUIRE(third_again.has_value());
  BOOST_TEST(third_again->get() == third->get());
  auto first_again = h.get("all", all);
  BOOST_REQUIRE(first_again.has_value());
  BOOST_TEST(first_again->get() != first->get());
  BOOST_TEST(custom_columns(**first_again) == 5u);
}

BOOST_AUTO_TEST_CASE(a_zero_time_limit_reads_jira_every_time) {
  dataset d;
  jira_sample_process sample(d.dir.path());
  harness h(sample, true, schema_cache_limits{std::chrono::seconds(0), 16, 20'000}, flavor::datacenter);
  const auto who = jira::test::identity_for(d.users.one, flavor::datacenter);
  std::vector<schema_ptr> got;
  for (int i = 0; i < 3; ++i) {
    auto s = h.get("bob", who);
    BOOST_REQUIRE(s.has_value());
    for (const auto& earlier : got) BOOST_TEST(earlier.get() != s->get());
    got.push_back(*s);
  }
}

BOOST_AUTO_TEST_CASE(service_mode_reads_the_list_as_the_user) {
  dataset d;
  jira_sample_process sample(d.dir.path(), {"--access-log", "--service-credential", "svc:svc-secret"});
  harness h(sample, true, {}, flavor::datacenter);
  jira::jira_identity who{proxy::upstream_credential::basic("svc", "svc-secret"), d.users.one.username, "test"};
  auto got = h.get(d.users.one.username, who);
  BOOST_REQUIRE_MESSAGE(got.has_value(), (got ? "" : got.error().message));
  BOOST_TEST(custom_columns(**got) == 5u);
  // The forwarded user is who Jira acts as: one it does not know is refused.
  jira::jira_identity nobody{proxy::upstream_credential::basic("svc", "svc-secret"), "no-such-user", "test"};
  auto refused = h.get("no-such-user", nobody);
  BOOST_TEST(!refused.has_value());
}

BOOST_AUTO_TEST_CASE(limits_and_failures_are_values) {
  dataset d;
  jira_sample_process sample(d.dir.path());
  const auto who = jira::test::identity_for(d.users.all, flavor::cloud);
  harness small(sample, true, schema_cache_limits{std::chrono::seconds(60), 16, 10});  // jira-sample has more fields
  auto too_many = small.get("all", who);
  BOOST_REQUIRE(!too_many.has_value());
  BOOST_TEST((too_many.error().kind == jira::failure_kind::server_error));
  BOOST_TEST(too_many.error().message.find("more than 10 fields") != std::string::npos, too_many.error().message);

  proxy::upstream_config nowhere;
  nowhere.base_url = "http://127.0.0.1:" + std::to_string(test_support::closed_port());
  net::io_context ioc;
  proxy::upstream_pool pool(ioc.get_executor(), nowhere);
  jira::jira_client client(pool);
  user_schemas schemas(jira::test::shipped_catalog(), true, client, flavor::cloud);
  auto call = [&]() -> net::awaitable<boost::system::result<schema_ptr, jira::jira_failure>> {
    co_return co_await schemas.for_user("all", who);
  };
  auto done = net::co_spawn(ioc, call(), net::use_future);
  ioc.run();
  auto down = done.get();
  BOOST_REQUIRE(!down.has_value());
  BOOST_TEST((down.error().kind == jira::failure_kind::unreachable));
}

BOOST_AUTO_TEST_SUITE_END()
