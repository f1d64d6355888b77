// tests/tools/mint-token: the token it prints authenticates, with its expiry date and
// the Jira secret sealed for its owner.
#include "auth/seal_key_file.hpp"
#include "auth/sealing.hpp"
#include "tests/auth/auth_fixture.hpp"
#include "tests/auth/run_tool.hpp"

#include <boost/test/unit_test.hpp>

using namespace jtgw::auth;
using namespace jtgw::auth::test;
using namespace std::chrono;

BOOST_AUTO_TEST_CASE(minted_token_authenticates_with_expiry_and_sealed_secret) {
  jtgw::storage::testing::temp_dir dir;
  const auto store_path = dir.store_path().string();
  const auto key_path = (dir.path() / "seal.key").string();
  const auto run = run_tool(MINT_TOKEN, {"--store", store_path, "--user", "Judy@Example.com", "--label", "tableau",
                                         "--expires", "2030-12-31", "--jira-secret", "jira:api:token",
                                         "--seal-key", key_path});
  BOOST_REQUIRE_EQUAL(run.exit_code, 0);
  // Only the token and a newline on stdout.
  BOOST_REQUIRE_EQUAL(run.out.size(), token_length + 1);
  const std::string token = run.out.substr(0, token_length);
  BOOST_TEST(static_cast<int>(check_token_shape(token)) == 0);

  // More mints while the store is closed (mint-token wants a stopped store): the label
  // stays unique per user; without --jira-secret nothing is sealed.
  BOOST_TEST(run_tool(MINT_TOKEN, {"--store", store_path, "--user", "judy@example.com", "--label", "TABLEAU"})
                 .exit_code != 0);
  BOOST_TEST(run_tool(MINT_TOKEN, {"--store", store_path, "--user", "judy@example.com", "--label", "other"})
                 .exit_code == 0);  // so the refusal above was the label, not the store
  const auto plain = run_tool(MINT_TOKEN, {"--store", store_path, "--user", "kim"});
  BOOST_REQUIRE_EQUAL(plain.exit_code, 0);
  auto store = jtgw::storage::testing::open_store(dir.store_path());
  authenticator auth(*store);
  const auto v = auth.verify(basic_authorization("judy@example.com:" + token), "192.0.2.1", utc(2030y / December / 31, 23h));
  BOOST_REQUIRE_EQUAL(outcome(v), "granted");
  const principal& p = *granted(v);
  BOOST_TEST(to_rfc3339(*p.expires_at) == "2031-01-01T00:00:00.000Z");
  const auto key = load_or_create_seal_key(key_path);
  const auto secret = unseal(key, p.sealed_credential, p.user);
  BOOST_REQUIRE(secret.has_value());
  BOOST_TEST(secret->view() == "jira:api:token");
  BOOST_TEST(outcome(auth.verify(basic_authorization("judy@example.com:" + token), "192.0.2.1", utc(2031y / January / 1))) ==
             "expired");

  const auto v2 = auth.verify(basic_authorization("kim:" + plain.out.substr(0, token_length)), "192.0.2.1", utc(2040y / May / 5));
  BOOST_REQUIRE_EQUAL(outcome(v2), "granted");
  BOOST_TEST(granted(v2)->sealed_credential.empty());
  BOOST_TEST(!granted(v2)->expires_at.has_value());
}

BOOST_AUTO_TEST_CASE(bad_arguments_are_refused) {
  jtgw::storage::testing::temp_dir dir;
  const auto store_path = dir.store_path().string();
  for (const char* date : {"2030-02-30", "2030-1-01", "tomorrow", "2030-01-01x"}) {
    const auto run = run_tool(MINT_TOKEN, {"--store", store_path, "--user", "u", "--expires", date});
    BOOST_TEST(run.exit_code != 0, date);
    BOOST_TEST(run.out.empty(), date);
  }
  BOOST_TEST(run_tool(MINT_TOKEN, {"--store", store_path, "--user", "u", "--jira-secret", "s"}).exit_code != 0);
  BOOST_TEST(run_tool(MINT_TOKEN, {"--store", store_path}).exit_code != 0);
}
