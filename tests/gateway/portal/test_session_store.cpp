// The in-memory session store: ids, expiry, bounds, CSRF, sealing from the session.
#include "gateway/portal/session_store.hpp"

#include <boost/test/unit_test.hpp>

#include <cstring>
#include <set>

using namespace jtgw::portal;
using jtgw::storage::clock_time;
using namespace std::chrono;

namespace {

clock_time t0{milliseconds{1'900'000'000'000}};

jtgw::auth::secret_buffer secret_of(std::string_view text) {
  jtgw::auth::secret_buffer secret(text.size());
  std::memcpy(secret.data(), text.data(), text.size());
  return secret;
}

jtgw::auth::seal_key test_key() { return jtgw::auth::seal_key::from_bytes(std::string(32, 'k')); }

}  // namespace

BOOST_AUTO_TEST_SUITE(portal_session_store)

BOOST_AUTO_TEST_CASE(a_session_is_found_by_its_id_until_it_expires_after_eight_hours) {
  session_store sessions;
  const auto s = sessions.create("alice@example.com", secret_of("jira-secret"), t0);
  BOOST_TEST_REQUIRE(s.has_value());
  BOOST_TEST(s->id.size() == 43u);
  BOOST_TEST(s->view.csrf_token.size() == 43u);
  BOOST_TEST(s->id != s->view.csrf_token);
  BOOST_TEST((s->view.expires_at == t0 + hours{8}));

  const auto found = sessions.find(s->id, t0 + hours{8} - milliseconds{1});
  BOOST_TEST_REQUIRE(found.has_value());
  BOOST_TEST(found->user == "alice@example.com");
  BOOST_TEST(found->csrf_token == s->view.csrf_token);

  BOOST_TEST(!sessions.find(s->id, t0 + hours{8}).has_value());
  BOOST_TEST(sessions.size() == 0u);  // removed (and its secret wiped) when found expired
}

BOOST_AUTO_TEST_CASE(unknown_malformed_and_removed_ids_find_nothing) {
  session_store sessions;
  const auto s = sessions.create("bob", secret_of("x"), t0);
  BOOST_TEST_REQUIRE(s.has_value());
  std::string other = s->id;
  other[0] = other[0] == 'A' ? 'B' : 'A';
  BOOST_TEST(!sessions.find(other, t0).has_value());
  BOOST_TEST(!sessions.find("", t0).has_value());
  BOOST_TEST(!sessions.find(s->id + "A", t0).has_value());
  BOOST_TEST(!sessions.find(std::string(43, '%'), t0).has_value());
  sessions.remove(s->id);
  BOOST_TEST(!sessions.find(s->id, t0).has_value());
}

BOOST_AUTO_TEST_CASE(ids_are_random) {
  session_store sessions;
  std::set<std::string> ids;
  for (int i = 0; i < 200; ++i) {
    const auto s = sessions.create("user" + std::to_string(i), secret_of("x"), t0);
    BOOST_TEST_REQUIRE(s.has_value());
    ids.insert(s->id);
    ids.insert(s->view.csrf_token);
  }
  BOOST_TEST(ids.size() == 400u);
}

BOOST_AUTO_TEST_CASE(the_table_is_bounded_and_expired_sessions_are_purged_to_make_room) {
  session_store sessions({.lifetime = hours{1}, .max_sessions = 3, .max_per_user = 16});
  for (int i = 0; i < 3; ++i) BOOST_TEST(sessions.create("u" + std::to_string(i), secret_of("x"), t0).has_value());
  const auto refused = sessions.create("u3", secret_of("x"), t0 + minutes{1});
  BOOST_TEST_REQUIRE(!refused.has_value());
  BOOST_TEST((refused.error() == session_error::full));
  // An hour later the three have expired: the next sign-in purges them.
  BOOST_TEST(sessions.create("u3", secret_of("x"), t0 + hours{1}).has_value());
  BOOST_TEST(sessions.size() == 1u);
}

BOOST_AUTO_TEST_CASE(one_user_keeps_at_most_max_per_user_sessions_the_oldest_goes) {
  session_store sessions({.lifetime = hours{8}, .max_sessions = 100, .max_per_user = 2});
  const auto first = sessions.create("carol", secret_of("x"), t0);
  const auto second = sessions.create("CAROL", secret_of("x"), t0 + seconds{1});
  const auto third = sessions.create("carol", secret_of("x"), t0 + seconds{2});
  BOOST_TEST_REQUIRE((first && second && third));
  BOOST_TEST(!sessions.find(first->id, t0 + seconds{3}).has_value());
  BOOST_TEST(sessions.find(second->id, t0 + seconds{3}).has_value());
  BOOST_TEST(sessions.find(third->id, t0 + seconds{3}).has_value());
}

BOOST_AUTO_TEST_CASE(csrf_must_match_exactly) {
  session_store sessions;
  const auto s = sessions.create("dave", secret_of("x"), t0);
  BOOST_TEST_REQUIRE(s.has_value());
  BOOST_TEST(csrf_matches(s->view, s->view.csrf_token));
  BOOST_TEST(!csrf_matches(s->view, ""));
  BOOST_TEST(!csrf_matches(s->view, s->view.csrf_token.substr(1)));
  std::string wrong = s->view.csrf_token;
  wrong.back() = wrong.back() == 'x' ? 'y' : 'x';
  BOOST_TEST(!csrf_matches(s->view, wrong));
}

BOOST_AUTO_TEST_CASE(the_secret_leaves_only_sealed_and_bound_to_the_user) {
  session_store sessions;
  const auto key = test_key();
  const auto s = sessions.create("erin@example.com", secret_of("erins-api-token"), t0);
  BOOST_TEST_REQUIRE(s.has_value());
  const auto sealed = sessions.seal_secret(s->id, key, t0);
  BOOST_TEST_REQUIRE(sealed.has_value());
  BOOST_TEST_REQUIRE(sealed->has_value());
  BOOST_TEST((**sealed).find("erins-api-token") == std::string::npos);
  const auto opened = jtgw::auth::unseal(key, **sealed, "erin@example.com");
  BOOST_TEST_REQUIRE(opened.has_value());
  BOOST_TEST(opened->view() == "erins-api-token");
  BOOST_TEST(!jtgw::auth::unseal(key, **sealed, "frank@example.com").has_value());

  BOOST_TEST(!sessions.seal_secret(s->id, key, t0 + hours{8}).has_value());  // expired
  sessions.remove(s->id);
  BOOST_TEST(!sessions.seal_secret(s->id, key, t0).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
