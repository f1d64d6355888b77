// jtgw end to end in user mode: each token carries its owner's Jira credential sealed
// with the gateway's key (mint-token --jira-secret --seal-key); jtgw unseals it in memory
// for the request and reaches Jira as that user — Cloud (Basic email:api_token) and
// Data Center (Bearer PAT). The seal key file's permissions are enforced at start.
#include "tests/support/binaries.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/curl_client.hpp"
#include "tests/support/expect_no_secrets.hpp"
#include "tests/support/files.hpp"
#include "tests/support/http_reply.hpp"
#include "tests/support/jtgw_process.hpp"
#include "tests/support/log_files.hpp"
#include "tests/support/secrets.hpp"
#include "tests/support/shared_jira_sample.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tokens.hpp"

#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <sys/stat.h>

using namespace jtgw::test_support;

namespace {

void stop(gateway_process& gw) {
  gw.proc().send(SIGTERM);
  BOOST_TEST(gw.proc().wait_exit(60s).value_or(-1) == 0);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(user_mode)

BOOST_AUTO_TEST_CASE(cloud_user_credential) {
  temp_dir dir;
  jira_sample jira;
  const auto store = dir.path() / "store";
  const auto key = dir.path() / "seal.key";
  const auto& alice = user_named("alice");
  remember_secret(alice.api_token);
  const auto token = mint(store, alice.email, {"--jira-secret", alice.api_token, "--seal-key", key.string()});
  const auto stale = mint(store, alice.email, {"--label", "stale", "--jira-secret", "not-her-api-token",
                                               "--seal-key", key.string()});
  const auto bare = mint(store, alice.email, {"--label", "bare"});

  gateway_process gw(dir.path(), {.jira_url = jira.url(), .auth = "user", .store = store, .seal_key = key});
  const auto reply = curl(gw.url("/rest/api/3/myself"), basic(alice.email, token));
  BOOST_TEST(reply.status == 200, reply.body);
  BOOST_TEST(json_string(reply.body, "emailAddress") == alice.email);

  // Jira refuses the stored credential: the user is told to sign in again.
  const auto rejected = curl(gw.url("/rest/api/3/myself"), basic(alice.email, stale));
  BOOST_TEST(rejected.status == 401);
  BOOST_TEST(error_code_of(rejected) == "jira_credential_rejected", rejected.body);
  BOOST_TEST(rejected.header("WWW-Authenticate") == R"(Basic realm="jtgw", charset="UTF-8")");
  // A token without a sealed credential cannot act as anyone in user mode.
  const auto none = curl(gw.url("/rest/api/3/myself"), basic(alice.email, bare));
  BOOST_TEST(none.status == 401);
  BOOST_TEST(error_code_of(none) == "jira_credential_rejected", none.body);
  stop(gw);
}

BOOST_AUTO_TEST_CASE(datacenter_user_credential) {
  temp_dir dir;
  jira_sample jira;
  const auto store = dir.path() / "store";
  const auto key = dir.path() / "seal.key";
  const auto& bob = user_named("bob");
  remember_secret(bob.pat);
  const auto token = mint(store, bob.username, {"--jira-secret", bob.pat, "--seal-key", key.string()});

  gateway_process gw(dir.path(),
                     {.jira_url = jira.url(), .flavor = "datacenter", .auth = "user", .store = store, .seal_key = key});
  const auto reply = curl(gw.url("/rest/api/2/myself"), basic(bob.username, token));
  BOOST_TEST(reply.status == 200, reply.body);
  BOOST_TEST(json_string(reply.body, "name") == bob.username, reply.body);
  stop(gw);
}

BOOST_AUTO_TEST_CASE(seal_key_created_private_on_first_start) {
  temp_dir dir;
  jira_sample jira;
  const auto store = dir.path() / "store";
  mint(store, user_named("alice").email);
  const auto key = dir.path() / "seal.key";
  BOOST_TEST_REQUIRE(!fs::exists(key));
  gateway_process gw(dir.path(), {.jira_url = jira.url(), .auth = "user", .store = store, .seal_key = key});
  struct stat st {};
  BOOST_TEST_REQUIRE(::stat(key.c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 0777) == 0600u);
  BOOST_TEST(st.st_size == 32);
  stop(gw);
}

BOOST_AUTO_TEST_CASE(readable_seal_key_refuses_to_start) {
  temp_dir dir;
  const auto store = dir.path() / "store";
  const auto key = dir.path() / "seal.key";
  const auto& alice = user_named("alice");
  mint(store, alice.email, {"--jira-secret", alice.api_token, "--seal-key", key.string()});
  ::chmod(key.c_str(), 0644);
  write_file(dir.path() / "jtgw.toml", config_text({.jira_url = "http://127.0.0.1:9", .auth = "user",
                                                    .store = store, .seal_key = key}));
  child_process gw({jtgw_bin(), "serve", "--config", (dir.path() / "jtgw.toml").string()}, new_log_file("jtgw-out"),
             new_log_file("jtgw-err"));
  const auto code = gw.wait_exit(60s);
  BOOST_TEST_REQUIRE(code.has_value());
  BOOST_TEST(*code == 1);
  BOOST_TEST(read_file(gw.err()).find(key.string()) != std::string::npos, read_file(gw.err()));
}

BOOST_AUTO_TEST_CASE(no_token_or_jira_secret_in_any_log) { expect_no_secrets_in_logs(); }

BOOST_AUTO_TEST_SUITE_END()
