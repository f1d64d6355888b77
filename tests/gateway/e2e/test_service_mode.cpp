// jtgw end to end in service mode: `jtgw serve` and `jira-sample serve` as real
// processes on 127.0.0.1, tokens minted into a fresh store with mint-token (and one
// legacy store record from make-legacy-store), requests from real curl and raw sockets.
#include "tests/support/base64.hpp"
#include "tests/support/binaries.hpp"
#include "tests/support/curl_client.hpp"
#include "tests/support/expect_no_secrets.hpp"
#include "tests/support/files.hpp"
#include "tests/support/http_reply.hpp"
#include "tests/support/jtgw_process.hpp"
#include "tests/support/raw_connection.hpp"
#include "tests/support/ready_line.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/shared_jira_sample.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tokens.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <signal.h>

#include <algorithm>
#include <optional>
#include <sstream>

using namespace jtgw::test_support;

namespace {

// One jira-sample, one store and one jtgw for the whole suite (tests use distinct users
// so that lockout counts of one test never reach another).
struct service_world {
  temp_dir dir;
  jira_sample jira;
  std::string alice_token;    // valid, never expires
  std::string bob_token;      // valid until 2099-12-31 (X-Jtgw-Token-Expires)
  std::string erin_token;     // expired on 2020-01-01
  std::string carol_legacy;   // a schema-1 record: no dates
  std::string dave_token;     // the lockout test's user
  std::optional<gateway_process> gateway;

  service_world() {
    const auto store = dir.path() / "store";
    // The legacy record first: make-legacy-store writes a schema-1 store, which jtgw
    // (and mint-token) migrate on open.
    carol_legacy = unknown_token();
    const auto legacy = run({make_legacy_store_bin(), store.string(),
                             user_named("carol").email + ":old-laptop:" + carol_legacy});
    BOOST_REQUIRE_MESSAGE(legacy.exit_code == 0, legacy.err);
    alice_token = mint(store, user_named("alice").email);
    bob_token = mint(store, user_named("bob").email, {"--expires", "2099-12-31"});
    erin_token = mint(store, user_named("erin").email, {"--expires", "2020-01-01"});
    dave_token = mint(store, user_named("dave").email);
    // One thread, as the benchmark runs it: serve then drops Asio's per-socket locking,
    // so this suite (proxying, reload, drain) covers that mode; the others run two.
    gateway_options options;
    options.jira_url = jira.url();
    options.store = store;
    options.threads = 1;
    gateway.emplace(dir.path(), options);
  }
  std::string url(const std::string& path) const { return gateway->url(path); }
};

service_world& world() {
  static service_world w;
  return w;
}

void expect_denial(const http_reply& reply, int status, const std::string& code) {
  BOOST_TEST(reply.status == status);
  BOOST_TEST(error_code_of(reply) == code, reply.body);
  BOOST_TEST(!json_string(reply.body, "message").empty(), reply.body);
  if (status == 401) {
    BOOST_TEST(reply.header("WWW-Authenticate") == R"(Basic realm="jtgw", charset="UTF-8")");
  }
}

std::vector<std::string> project_keys(const std::string& body) {
  std::vector<std::string> keys;
  const auto json = boost::json::parse(body);  // kept alive: the loop borrows from it
  for (const auto& p : json.as_array()) keys.emplace_back(p.as_object().at("key").as_string());
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(service_mode)

BOOST_AUTO_TEST_CASE(valid_token_reaches_jira_as_that_user) {
  auto& w = world();
  const auto& alice = user_named("alice");
  const auto reply = curl(w.url("/rest/api/3/myself"), basic(alice.email, w.alice_token));
  BOOST_TEST(reply.status == 200);
  BOOST_TEST(json_string(reply.body, "emailAddress") == alice.email);
  BOOST_TEST(json_string(reply.body, "accountId") == alice.account_id);
  BOOST_TEST(reply.header("X-Jtgw-Token-Expires").empty(), "alice's token never expires");
  BOOST_TEST(reply.header("X-Request-Id").size() > 0u);

  // The user's own permissions decide: bob sees exactly his projects.
  const auto& bob = user_named("bob");
  const auto projects = curl(w.url("/rest/api/3/project"), basic(bob.email, w.bob_token));
  BOOST_TEST(projects.status == 200);
  auto expected = bob.projects;
  std::sort(expected.begin(), expected.end());
  BOOST_TEST(project_keys(projects.body) == expected, boost::test_tools::per_element());
  BOOST_TEST(projects.header("X-Jtgw-Token-Expires") == "2100-01-01T00:00:00Z");

  // The agile prefix, and a POST search.
  BOOST_TEST(curl(w.url("/rest/agile/1.0/board"), basic(alice.email, w.alice_token)).status == 200);
  const auto search = curl(w.url("/rest/api/3/search/jql"),
                           [&] {
                             auto args = basic(alice.email, w.alice_token);
                             args.insert(args.end(), {"-H", "Content-Type: application/json", "--data",
                                                      R"({"jql":"project = ENG","maxResults":2})"});
                             return args;
                           }());
  BOOST_TEST(search.status == 200, search.body);
}

BOOST_AUTO_TEST_CASE(username_compares_case_insensitively) {
  auto& w = world();
  std::string upper = user_named("alice").email;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  BOOST_TEST(curl(w.url("/rest/api/3/myself"), basic(upper, w.alice_token)).status == 200);
}

BOOST_AUTO_TEST_CASE(missing_credentials) {
  expect_denial(curl(world().url("/rest/api/3/myself")), 401, "missing_credentials");
}

BOOST_AUTO_TEST_CASE(malformed_credentials) {
  auto& w = world();
  expect_denial(curl(w.url("/rest/api/3/myself"), {"-H", "Authorization: Basic !!not-base64!!"}), 401,
                "malformed_credentials");
  expect_denial(curl(w.url("/rest/api/3/myself"), {"-H", "Authorization: Bearer abc"}), 401,
                "malformed_credentials");
  // A password that is not a token's shape never reaches the store.
  expect_denial(curl(w.url("/rest/api/3/myself"), basic(user_named("frank").email, "hunter2")), 401,
                "malformed_credentials");
}

// The Authorization field is found by name in any case, and a second one is refused
// even when both carry the same valid credentials.
BOOST_AUTO_TEST_CASE(authorization_field_name_and_count) {
  auto& w = world();
  const auto credentials = "Basic " + base64(user_named("alice").email + ":" + w.alice_token);
  raw_connection connection(w.gateway->port());
  BOOST_TEST(connection.get("/rest/api/3/myself", "aUTHORIZATION: " + credentials + "\r\n").status == 200);
  const auto twice = connection.get("/rest/api/3/myself", "X-Before: 1\r\nAuthorization: " + credentials +
                                                              "\r\nX-Between: 2\r\nauthorization: " + credentials +
                                                              "\r\n");
  expect_denial(twice, 401, "malformed_credentials");
  BOOST_TEST(json_string(twice.body, "message").find("more than one Authorization") != std::string::npos, twice.body);
}

BOOST_AUTO_TEST_CASE(unknown_or_revoked_token) {
  expect_denial(curl(world().url("/rest/api/3/myself"), basic(user_named("grace").email, unknown_token())), 401,
                "unknown_or_revoked");
}

BOOST_AUTO_TEST_CASE(another_users_token) {
  auto& w = world();
  expect_denial(curl(w.url("/rest/api/3/myself"), basic(user_named("heidi").email, w.alice_token)), 401,
                "wrong_user");
}

BOOST_AUTO_TEST_CASE(expired_token_names_the_date) {
  auto& w = world();
  const auto reply = curl(w.url("/rest/api/3/myself"), basic(user_named("erin").email, w.erin_token));
  expect_denial(reply, 401, "expired");
  // Valid through 2020-01-01 UTC: expired from the first instant of the next day.
  BOOST_TEST(json_string(reply.body, "message").find("2020-01-02") != std::string::npos, reply.body);
}

BOOST_AUTO_TEST_CASE(legacy_store_token_passes) {
  auto& w = world();
  const auto& carol = user_named("carol");
  const auto reply = curl(w.url("/rest/api/3/myself"), basic(carol.email, w.carol_legacy));
  BOOST_TEST(reply.status == 200, reply.body);
  BOOST_TEST(json_string(reply.body, "emailAddress") == carol.email);
  BOOST_TEST(reply.header("X-Jtgw-Token-Expires").empty(), "a legacy record never expires");
}

BOOST_AUTO_TEST_CASE(five_failures_lock_one_address_only) {
  auto& w = world();
  const auto& dave = user_named("dave");
  for (int i = 0; i < 5; ++i) {
    expect_denial(curl(w.url("/rest/api/3/myself"), basic(dave.email, unknown_token())), 401, "unknown_or_revoked");
  }
  // Now even the right token is refused from this address…
  const auto locked = curl(w.url("/rest/api/3/myself"), basic(dave.email, w.dave_token));
  expect_denial(locked, 429, "locked_out");
  BOOST_TEST(std::stoi(locked.header("Retry-After")) >= 1);
  // …while another address of the same machine still gets through.
  auto args = basic(dave.email, w.dave_token);
  args.insert(args.end(), {"--interface", "127.0.0.2"});
  const auto other = curl(w.url("/rest/api/3/myself"), args);
  BOOST_TEST(other.status == 200, other.body);
  BOOST_TEST(json_string(other.body, "emailAddress") == dave.email);
}

BOOST_AUTO_TEST_CASE(read_only_policy_before_authentication) {
  auto& w = world();
  const auto& alice = user_named("alice");
  auto with = [&](std::vector<std::string> extra) {
    auto args = basic(alice.email, w.alice_token);
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  const auto del = curl(w.url("/rest/api/3/issue/ENG-1"), with({"-X", "DELETE"}));
  BOOST_TEST(del.status == 405);
  BOOST_TEST(del.header("Allow") == "GET, HEAD");
  const auto post = curl(w.url("/rest/api/3/issue"), with({"--data", "{}"}));
  BOOST_TEST(post.status == 405);
  BOOST_TEST(curl(w.url("/rest/api/3/%2e%2e/%2e%2e/secure"), with({"--path-as-is"})).status == 400);
  BOOST_TEST(curl(w.url("/rest/api/3//myself"), with({"--path-as-is"})).status == 400);
  // Nothing outside the REST prefixes is relayed.
  const auto other = curl(w.url("/secure/Dashboard.jspa"), with({}));
  BOOST_TEST(other.status == 404);
  BOOST_TEST(error_code_of(other) == "not_found");
}

BOOST_AUTO_TEST_CASE(health_readiness_and_metrics) {
  auto& w = world();
  BOOST_TEST(curl(w.url("/healthz")).status == 200);
  const auto ready = curl(w.url("/readyz"));
  BOOST_TEST(ready.status == 200, ready.body);
  BOOST_TEST(json_string(ready.body, "status") == "ready");
  const auto metrics = curl(w.url("/metrics"));
  BOOST_TEST(metrics.status == 200);
  BOOST_TEST(metrics.header("Content-Type").find("text/plain") == 0u);
  // Counted by reason: the earlier tests of this suite produced these.
  BOOST_TEST(metrics.body.find(R"(jtgw_auth_outcomes_total{reason="ok"})") != std::string::npos);
  BOOST_TEST(metrics.body.find(R"(jtgw_auth_outcomes_total{reason="missing_credentials"})") != std::string::npos);
  BOOST_TEST(metrics.body.find("jtgw_upstream_seconds_bucket") != std::string::npos);
  BOOST_TEST(metrics.body.find("jtgw_http_open_connections") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(sighup_keeps_connections_and_reports_restart_keys) {
  auto& w = world();
  const auto& alice = user_named("alice");
  const std::string auth_line = "Authorization: Basic " + base64(alice.email + ":" + w.alice_token) + "\r\n";
  raw_connection connection(w.gateway->port());
  BOOST_TEST(connection.get("/rest/api/3/myself", auth_line).status == 200);

  // A changed log level applies; a changed store path is reported as needing a restart.
  std::string config = read_file(w.gateway->config_file());
  const std::string running = config;
  config.replace(config.find("level = \"debug\""), 15, "level = \"info\"");
  config.replace(config.find("/store\""), 7, "/store-moved\"");
  write_file(w.gateway->config_file(), config);
  w.gateway->proc().send(SIGHUP);
  wait_for_match(w.gateway->proc().err(), std::regex("store.path changed; it takes effect after a restart"),
                 &w.gateway->proc());
  BOOST_TEST(read_file(w.gateway->proc().err()).find("log level info") != std::string::npos);

  // The kept-alive connection still works, and still authenticates every request.
  BOOST_TEST(connection.get("/rest/api/3/myself", auth_line).status == 200);
  BOOST_TEST(connection.get("/rest/api/3/myself", "").status == 401);
  write_file(w.gateway->config_file(), running);
}

BOOST_AUTO_TEST_CASE(sigterm_exits_zero) {
  auto& w = world();
  w.gateway->proc().send(SIGTERM);
  const auto code = w.gateway->proc().wait_exit(60s);
  BOOST_TEST_REQUIRE(code.has_value());
  BOOST_TEST(*code == 0);
}

// Last: every log line any process wrote in this binary, against every token used.
BOOST_AUTO_TEST_CASE(no_token_in_any_log) {
  // The scan covers the real access log: it holds the requests made above, by user.
  const std::string access = read_file(world().gateway->proc().out());
  BOOST_TEST(access.find(R"("user":")" + user_named("alice").email + R"(")") != std::string::npos);
  BOOST_TEST(access.find(R"("path":"/rest/api/3/myself")") != std::string::npos);
  // stdout holds access lines only, each whole (flushed at exit) and one JSON object.
  BOOST_TEST((!access.empty() && access.back() == '\n'));
  std::istringstream lines(access);
  for (std::string line; std::getline(lines, line);) BOOST_TEST(boost::json::parse(line).is_object(), line);
  expect_no_secrets_in_logs();
}

BOOST_AUTO_TEST_SUITE_END()
