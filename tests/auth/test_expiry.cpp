#include "auth/expiry.hpp"
#include "tests/auth/auth_fixture.hpp"

#include <boost/test/unit_test.hpp>

using namespace jtgw::auth;
using namespace jtgw::auth::test;
using namespace std::chrono;
using jtgw::storage::lifetime_policy;
using jtgw::storage::token_record;

BOOST_AUTO_TEST_SUITE(expiry)

BOOST_AUTO_TEST_CASE(effective_expiry_rules) {
  const sys_days d = 2025y / March / 10;
  token_record own;
  own.created = utc(2025y / March / 1);
  own.expires = d;
  token_record forever;
  forever.created = utc(2025y / March / 1);
  token_record legacy;  // no dates at all
  const lifetime_policy policy{30, utc(2025y / February / 1, 12h)};

  BOOST_TEST(to_rfc3339(*effective_expiry(own, std::nullopt)) == "2025-03-11T00:00:00.000Z");
  BOOST_TEST(!effective_expiry(forever, std::nullopt).has_value());
  BOOST_TEST(!effective_expiry(legacy, std::nullopt).has_value());
  // Created after P: counts from creation. 2025-03-01 + 30 days = 2025-03-31.
  BOOST_TEST(to_rfc3339(*effective_expiry(forever, policy)) == "2025-03-31T00:00:00.000Z");
  // Own expiry earlier than the cap: kept.
  BOOST_TEST(to_rfc3339(*effective_expiry(own, policy)) == "2025-03-11T00:00:00.000Z");
  // Legacy counts as created at P: 2025-02-01T12:00 + 30 days.
  BOOST_TEST(to_rfc3339(*effective_expiry(legacy, policy)) == "2025-03-03T12:00:00.000Z");
  // Created before P: counts from P, never retroactively.
  token_record old = forever;
  old.created = utc(2024y / January / 1);
  BOOST_TEST(to_rfc3339(*effective_expiry(old, policy)) == "2025-03-03T12:00:00.000Z");
  // Own expiry later than the cap: the cap wins.
  token_record late = own;
  late.expires = sys_days(2026y / January / 1);
  BOOST_TEST(to_rfc3339(*effective_expiry(late, policy)) == "2025-03-31T00:00:00.000Z");
}

BOOST_FIXTURE_TEST_CASE(valid_through_the_last_millisecond_of_the_expiry_date, store_fixture) {
  authenticator auth(*store);
  const sys_days d = 2025y / March / 10;
  const auto token = mint("alice@example.com", "laptop", utc(2025y / March / 1), d);
  const auto header = basic_authorization("alice@example.com:" + token);

  const auto last_ms = auth.verify(header, "10.0.0.1", utc(2025y / March / 10, 23h + 59min + 59s + 999ms));
  BOOST_TEST(outcome(last_ms) == "granted");
  BOOST_TEST(to_rfc3339(*granted(last_ms)->expires_at) == "2025-03-11T00:00:00.000Z");

  const auto next_day = auth.verify(header, "10.0.0.1", utc(2025y / March / 11));
  BOOST_TEST(outcome(next_day) == "expired");
  const auto& why = std::get<denial>(next_day);
  BOOST_TEST(to_rfc3339(*why.expired_at) == "2025-03-11T00:00:00.000Z");
  BOOST_TEST(why.message.find("2025-03-11") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(policy_reaches_legacy_and_non_expiring_tokens, store_fixture) {
  authenticator auth(*store);
  // v2 tokens here; the legacy (v1) case needs make-legacy-store: see test_legacy_store.cpp.
  const auto forever = mint("bob", "forever", utc(2025y / January / 1));
  const auto own = mint("bob", "own", utc(2025y / January / 1), sys_days(2025y / January / 20));
  const auto h_forever = basic_authorization("bob:" + forever);
  const auto h_own = basic_authorization("bob:" + own);

  const clock_time p = utc(2025y / January / 10);
  BOOST_TEST(outcome(auth.verify(h_forever, "a", utc(2026y / January / 1))) == "granted");

  BOOST_REQUIRE(store->set_policy({5, p}).has_value());
  // Applies at once, without a new authenticator: P + 5 days = 2025-01-15.
  BOOST_TEST(outcome(auth.verify(h_forever, "a", utc(2025y / January / 14, 23h + 59min))) == "granted");
  BOOST_TEST(outcome(auth.verify(h_forever, "a", utc(2025y / January / 15))) == "expired");
  BOOST_TEST(outcome(auth.verify(h_own, "a", utc(2025y / January / 15))) == "expired");

  // A longer policy: the token's own earlier expiry (end of 2025-01-20) is kept.
  BOOST_REQUIRE(store->set_policy({100, p}).has_value());
  BOOST_TEST(outcome(auth.verify(h_own, "a", utc(2025y / January / 20, 23h))) == "granted");
  BOOST_TEST(outcome(auth.verify(h_own, "a", utc(2025y / January / 21))) == "expired");
  BOOST_TEST(outcome(auth.verify(h_forever, "a", utc(2025y / February / 1))) == "granted");

  // Clearing the policy restores the non-expiring token.
  BOOST_REQUIRE(store->set_policy({5, p}).has_value());
  BOOST_TEST(outcome(auth.verify(h_forever, "a", utc(2025y / March / 1))) == "expired");
  BOOST_REQUIRE(store->clear_policy().has_value());
  BOOST_TEST(outcome(auth.verify(h_forever, "a", utc(2025y / March / 1))) == "granted");
}

BOOST_AUTO_TEST_SUITE_END()
