#include "tests/auth/auth_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <vector>

using namespace jtgw::auth;
using namespace jtgw::auth::test;
using namespace std::chrono;

namespace {
const clock_time t0 = utc(2025y / June / 1, 9h);
}

BOOST_AUTO_TEST_SUITE(authenticator_verify)

BOOST_FIXTURE_TEST_CASE(valid_token_gives_the_principal, store_fixture) {
  authenticator auth(*store);
  const auto token = mint("Alice@Example.com", "laptop", t0 - 24h, std::nullopt, "sealed-bytes");
  // Username compared case-insensitively; the principal carries the stored spelling.
  const auto v = auth.verify(basic_authorization("alice@EXAMPLE.com:" + token), "192.0.2.1", t0);
  BOOST_REQUIRE_EQUAL(outcome(v), "granted");
  const principal& p = *granted(v);
  BOOST_TEST(p.user == "Alice@Example.com");
  BOOST_TEST(!p.token_id.empty());
  BOOST_TEST(!p.expires_at.has_value());
  BOOST_TEST(p.sealed_credential == "sealed-bytes");
  // Last use recorded (best effort, but it works on a healthy store).
  const auto record = store->find_by_id(p.token_id);
  BOOST_REQUIRE(record.has_value());
  BOOST_TEST((record->last_used == t0));
}

BOOST_FIXTURE_TEST_CASE(wrong_user_unknown_and_missing, store_fixture) {
  authenticator auth(*store);
  const auto alices = mint("alice", "a", t0);
  mint("bob", "b", t0);
  BOOST_TEST(outcome(auth.verify(basic_authorization("bob:" + alices), "192.0.2.1", t0)) == "wrong_user");
  // Same length: a different letter in any case, and a non-letter 0x20 away from '@'.
  BOOST_TEST(outcome(auth.verify(basic_authorization("ALICF:" + alices), "192.0.2.1", t0)) == "wrong_user");
  const auto carols = mint("carol@example", "c", t0);
  BOOST_TEST(outcome(auth.verify(basic_authorization("carol`example:" + carols), "192.0.2.1", t0)) == "wrong_user");
  BOOST_TEST(outcome(auth.verify(basic_authorization("CAROL@example:" + carols), "192.0.2.1", t0)) == "granted");
  BOOST_TEST(outcome(auth.verify(basic_authorization("alice:" + generate_token()), "192.0.2.1", t0)) == "unknown_or_revoked");
  BOOST_TEST(outcome(auth.verify("", "192.0.2.1", t0)) == "missing");
  BOOST_TEST(outcome(auth.verify(basic_authorization("alice:" + alices), "192.0.2.1", t0)) == "granted");
}

BOOST_FIXTURE_TEST_CASE(revoked_token_fails_on_the_very_next_call, store_fixture) {
  authenticator auth(*store);
  const auto token = mint("carol", "ci", t0);
  const auto header = basic_authorization("carol:" + token);
  const auto first = auth.verify(header, "192.0.2.7", t0);
  BOOST_REQUIRE_EQUAL(outcome(first), "granted");
  BOOST_REQUIRE(store->revoke(granted(first)->token_id).has_value());
  BOOST_TEST(outcome(auth.verify(header, "192.0.2.7", t0 + 1ms)) == "unknown_or_revoked");
}

BOOST_FIXTURE_TEST_CASE(malformed_values_are_refused_before_the_store, store_fixture) {
  authenticator auth(*store);
  const auto token = mint("dave", "d", t0);
  std::string flipped = token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  struct row {
    std::string value;
    std::variant<std::monostate, basic_error, token_shape_error> detail;
  };
  const std::vector<row> rows = {
      {"Bearer " + token, basic_error::not_basic},
      {"Basic", basic_error::missing_credentials},
      {"Basic ZGF2ZTp4", token_shape_error::bad_prefix},  // "dave:x": fine Basic, not a token
      {basic_authorization("dave:" + token).substr(0, 29), basic_error::bad_base64_length},
      {basic_authorization(":" + token), basic_error::empty_username},
      {basic_authorization("dave:" + flipped), token_shape_error::bad_checksum},
      {basic_authorization("dave:" + token.substr(0, 53)), token_shape_error::bad_length},
      {basic_authorization("dave:ghp_" + token.substr(5)), token_shape_error::bad_prefix},
      {basic_authorization("dave:" + token + " "), token_shape_error::bad_length},
      {basic_authorization("dave:" + token.substr(0, 20) + "-" + token.substr(21)), token_shape_error::bad_alphabet},
  };
  for (const auto& r : rows) {
    const auto v = auth.verify(r.value, "198.51.100.1", t0);
    BOOST_TEST(outcome(v) == "malformed", r.value);
    if (const auto* d = std::get_if<denial>(&v)) {
      BOOST_TEST((d->detail == r.detail), r.value);
      BOOST_TEST(!d->message.empty());
      BOOST_TEST(d->message.find(token) == std::string::npos);
    }
  }
}

BOOST_FIXTURE_TEST_CASE(lockout_after_five_failures_per_user_and_address, store_fixture) {
  authenticator auth(*store);
  const auto token = mint("erin", "e", t0);
  const auto good = basic_authorization("erin:" + token);
  const auto bad = basic_authorization("ERIN:" + generate_token());  // username folded for the pair

  for (int i = 0; i < 4; ++i) {
    BOOST_TEST(outcome(auth.verify(bad, "203.0.113.5", t0 + minutes(i))) == "unknown_or_revoked");
  }
  BOOST_TEST(outcome(auth.verify(good, "203.0.113.5", t0 + 4min)) == "granted");  // 4 failures: not yet
  BOOST_TEST(outcome(auth.verify(bad, "203.0.113.5", t0 + 5min)) == "unknown_or_revoked");  // the 5th

  // Locked even with the right token, and a success does not lift the lock.
  const auto locked = auth.verify(good, "203.0.113.5", t0 + 5min + 1s);
  BOOST_REQUIRE_EQUAL(outcome(locked), "locked_out");
  BOOST_TEST(std::get<denial>(locked).retry_after.count() == 15 * 60 - 1);
  // Another address of the same user is unaffected.
  BOOST_TEST(outcome(auth.verify(good, "203.0.113.6", t0 + 5min + 2s)) == "granted");
  BOOST_TEST(outcome(auth.verify(good, "203.0.113.5", t0 + 19min)) == "locked_out");
  // Unlocked 15 minutes after the 5th failure.
  BOOST_TEST(outcome(auth.verify(good, "203.0.113.5", t0 + 20min)) == "granted");
}

BOOST_FIXTURE_TEST_CASE(failures_outside_the_window_do_not_lock, store_fixture) {
  authenticator auth(*store);
  const auto token = mint("frank", "f", t0);
  const auto bad = basic_authorization("frank:" + generate_token());
  // Five failures, but spread over more than 15 minutes: never five within the window.
  for (int i = 0; i < 5; ++i) auth.verify(bad, "203.0.113.9", t0 + minutes(4 * i));
  BOOST_TEST(outcome(auth.verify(basic_authorization("frank:" + token), "203.0.113.9", t0 + 16min)) == "granted");
}

BOOST_AUTO_TEST_SUITE_END()
