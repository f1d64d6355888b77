// A store written by an older jtgw (make-legacy-store: v1 records, schema 1)
// authenticates, and the max-lifetime policy reaches its non-expiring tokens.
#include "tests/auth/auth_fixture.hpp"
#include "tests/auth/run_tool.hpp"

#include <boost/test/unit_test.hpp>

using namespace jtgw::auth;
using namespace jtgw::auth::test;
using namespace std::chrono;

BOOST_AUTO_TEST_CASE(legacy_store_authenticates_and_policy_reaches_it) {
  jtgw::storage::testing::temp_dir dir;
  const std::string token = generate_token();
  const std::string other = generate_token();
  const auto made = run_tool(MAKE_LEGACY_STORE, {dir.store_path().string(), "Hal@Example.com:old laptop:" + token,
                                                 "ivy:desk:" + other});
  BOOST_REQUIRE_EQUAL(made.exit_code, 0);

  auto store = jtgw::storage::testing::open_store(dir.store_path());
  authenticator auth(*store);
  const auto header = basic_authorization("hal@example.com:" + token);
  const clock_time now = utc(2031y / January / 1);

  const auto v = auth.verify(header, "192.0.2.1", now);
  BOOST_REQUIRE_EQUAL(outcome(v), "granted");
  BOOST_TEST(granted(v)->user == "Hal@Example.com");
  BOOST_TEST(!granted(v)->expires_at.has_value());  // legacy: never expires by itself
  BOOST_TEST(outcome(auth.verify(basic_authorization("hal@example.com:" + other), "192.0.2.1", now)) == "wrong_user");

  // Policy of 10 days set at P: the legacy token counts as created at P.
  const clock_time p = utc(2031y / February / 1);
  BOOST_REQUIRE(store->set_policy({10, p}).has_value());
  BOOST_TEST(outcome(auth.verify(header, "192.0.2.1", p + days{10} - 1ms)) == "granted");
  const auto after = auth.verify(header, "192.0.2.1", p + days{10});
  BOOST_REQUIRE_EQUAL(outcome(after), "expired");
  BOOST_TEST(to_rfc3339(*std::get<denial>(after).expired_at) == "2031-02-11T00:00:00.000Z");

  BOOST_REQUIRE(store->clear_policy().has_value());
  BOOST_TEST(outcome(auth.verify(header, "192.0.2.1", p + days{1000})) == "granted");
}
